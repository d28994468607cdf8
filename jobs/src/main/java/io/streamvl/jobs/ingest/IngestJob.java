package io.streamvl.jobs.ingest;

import io.streamvl.ingest.SampledFrame;
import io.streamvl.jobs.config.PipelineSettings;
import io.streamvl.kafka.Answer;
import io.streamvl.kafka.DlqRecord;
import io.streamvl.kafka.IngestStatus;
import io.streamvl.kafka.QueryProgress;
import io.streamvl.kafka.Segment;
import io.streamvl.operators.ingest.FrameToMemory;
import io.streamvl.operators.ingest.IngestOutputs;
import io.streamvl.operators.ingest.MemoryFrame;
import io.streamvl.operators.ingest.MemoryInput;
import io.streamvl.operators.ingest.SegmentDecodeFunction;
import io.streamvl.operators.ingest.VideoMemoryFunction;
import io.streamvl.operators.model.ModelKind;
import io.streamvl.operators.query.QueryFrames;
import io.streamvl.operators.query.QueryOutputs;
import io.streamvl.operators.query.QueryRequest;
import io.streamvl.operators.vision.EncodedFrameRecord;
import io.streamvl.operators.vision.FrameEncodeOperator;
import io.streamvl.operators.vision.UnencodedFrame;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The ingest half of the pipeline: segments → decode + sample (keyed by stream) → vision encoding (batched across
 * streams) → video memory, which also completes each window's status and resolves history queries against the
 * frames it holds. In TS-LLaVA caption mode nothing needs LLaVA-Mini's frame tokens: the frames go on without them
 * ({@link UnencodedFrame}), and the memory keeps their JPEGs alone.
 */
public final class IngestJob {
    public static final String UID_SOURCE = "segments-source";
    public static final String UID_DECODE = "segment-decode";
    public static final String UID_ENCODE = FrameEncodeOperator.UID;
    public static final String UID_UNENCODED = UnencodedFrame.UID;
    public static final String UID_STATUS_TO_MEMORY = "status-to-memory";
    public static final String UID_QUERY_TO_MEMORY = "query-to-memory";
    public static final String UID_FRAME_TO_MEMORY = FrameToMemory.UID;
    public static final String UID_MEMORY = "video-memory";

    private IngestJob() {}

    /**
     * What ingest hands on: encoded frames for captions; from the video memory, window statuses, the frames
     * history queries resolved to, their error answers and progress; bad segments for the DLQ.
     */
    public record Ingest(DataStream<EncodedFrameRecord> frames, DataStream<IngestStatus> statuses,
            DataStream<QueryFrames> queryFrames, DataStream<Answer> answers, DataStream<QueryProgress> progress,
            DataStream<DlqRecord> dlq) {}

    /** Watermarks follow segment start times; see streamvl.ingest.out-of-orderness. */
    public static WatermarkStrategy<Segment> watermarks(Duration outOfOrderness, Duration idleness) {
        return WatermarkStrategy.<Segment>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner((segment, kafkaTimestamp) -> segment.startMillis)
                .withIdleness(idleness);
    }

    public static Ingest define(StreamExecutionEnvironment env, Source<Segment, ?, ?> source,
            WatermarkStrategy<Segment> watermarks, PipelineSettings settings, DataStream<QueryRequest> historyQueries) {
        SingleOutputStreamOperator<SampledFrame> sampled = env
                .fromSource(source, watermarks, "segments").uid(UID_SOURCE)
                .keyBy(segment -> segment.streamId == null ? "" : segment.streamId, Types.STRING)
                .process(new SegmentDecodeFunction(settings.ingest()), TypeInformation.of(SampledFrame.class))
                .name("decode-and-sample").uid(UID_DECODE);

        DataStream<EncodedFrameRecord> encoded = settings.captionMode() == ModelKind.TS_LLAVA
                ? sampled.map(new UnencodedFrame()).returns(TypeInformation.of(EncodedFrameRecord.class))
                        .name(UID_UNENCODED).uid(UID_UNENCODED)
                : sampled.transform("frame-encode", TypeInformation.of(EncodedFrameRecord.class),
                        new FrameEncodeOperator(settings.model(), settings.encode().maxBatch(),
                                settings.encode().maxWait(), settings.caption().captionPrompt()))
                        .uid(UID_ENCODE);

        DataStream<MemoryInput> control = sampled.getSideOutput(IngestOutputs.STATUS)
                .map(MemoryInput::of).returns(TypeInformation.of(MemoryInput.class))
                .name(UID_STATUS_TO_MEMORY).uid(UID_STATUS_TO_MEMORY)
                .union(historyQueries.map(MemoryInput::of).returns(TypeInformation.of(MemoryInput.class))
                        .name(UID_QUERY_TO_MEMORY).uid(UID_QUERY_TO_MEMORY));

        SingleOutputStreamOperator<IngestStatus> memory = encoded
                .map(new FrameToMemory()).returns(TypeInformation.of(MemoryFrame.class))
                .name(UID_FRAME_TO_MEMORY).uid(UID_FRAME_TO_MEMORY)
                .keyBy(record -> record.frame.streamId, Types.STRING)
                .connect(control.keyBy(MemoryInput::streamId, Types.STRING))
                .process(new VideoMemoryFunction(settings.ingest(), settings.query()),
                        TypeInformation.of(IngestStatus.class))
                .name("video-memory").uid(UID_MEMORY);

        return new Ingest(encoded, memory, memory.getSideOutput(QueryOutputs.QUERY_FRAMES),
                memory.getSideOutput(QueryOutputs.ANSWERS), memory.getSideOutput(QueryOutputs.PROGRESS),
                sampled.getSideOutput(IngestOutputs.DLQ));
    }
}

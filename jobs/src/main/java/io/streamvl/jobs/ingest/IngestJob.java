package io.streamvl.jobs.ingest;

import io.streamvl.ingest.SampledFrame;
import io.streamvl.kafka.DlqRecord;
import io.streamvl.kafka.IngestStatus;
import io.streamvl.kafka.Segment;
import io.streamvl.operators.ingest.IngestOutputs;
import io.streamvl.operators.ingest.IngestSettings;
import io.streamvl.operators.ingest.SegmentDecodeFunction;
import io.streamvl.operators.ingest.VideoMemoryFunction;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The ingest half of the pipeline: segments → decode + sample (keyed by stream) → video memory,
 * with bad segments to the DLQ and a per-stream status record per window to the events topic.
 * Sources and sinks are parameters so tests and local mode plug in their own.
 */
public final class IngestJob {
    public static final String UID_SOURCE = "segments-source";
    public static final String UID_DECODE = "segment-decode";
    public static final String UID_MEMORY = "video-memory";
    public static final String UID_DLQ_SINK = "dlq-sink";
    public static final String UID_EVENTS_SINK = "events-sink";

    private IngestJob() {}

    /** Watermarks follow segment start times; see streamvl.ingest.out-of-orderness. */
    public static WatermarkStrategy<Segment> watermarks(Duration outOfOrderness, Duration idleness) {
        return WatermarkStrategy.<Segment>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner((segment, kafkaTimestamp) -> segment.startMillis)
                .withIdleness(idleness);
    }

    /** Builds the topology; returns the sampled frames (keyed by stream) for later stages. */
    public static DataStream<SampledFrame> defineWorkflow(StreamExecutionEnvironment env,
            Source<Segment, ?, ?> source, WatermarkStrategy<Segment> watermarks, IngestSettings settings,
            Sink<DlqRecord> dlqSink, Sink<IngestStatus> eventsSink) {
        SingleOutputStreamOperator<SampledFrame> frames = env
                .fromSource(source, watermarks, "segments").uid(UID_SOURCE)
                .keyBy(segment -> segment.streamId == null ? "" : segment.streamId, Types.STRING)
                .process(new SegmentDecodeFunction(settings), TypeInformation.of(SampledFrame.class))
                .name("decode-and-sample").uid(UID_DECODE);

        frames.getSideOutput(IngestOutputs.DLQ).sinkTo(dlqSink).name("dlq").uid(UID_DLQ_SINK);

        DataStream<IngestStatus> statuses = frames
                .keyBy(frame -> frame.streamId, Types.STRING)
                .connect(frames.getSideOutput(IngestOutputs.STATUS).keyBy(status -> status.streamId, Types.STRING))
                .process(new VideoMemoryFunction(settings), TypeInformation.of(IngestStatus.class))
                .name("video-memory").uid(UID_MEMORY);
        statuses.sinkTo(eventsSink).name("events").uid(UID_EVENTS_SINK);
        return frames;
    }
}

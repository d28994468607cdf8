package io.streamvl.jobs.caption;

import io.streamvl.jobs.config.PipelineSettings;
import io.streamvl.kafka.Alert;
import io.streamvl.operators.caption.AlertFilterFunction;
import io.streamvl.operators.caption.LiveCaptionFunction;
import io.streamvl.operators.caption.StandingQuestion;
import io.streamvl.operators.generate.GenerationTask;
import io.streamvl.operators.vision.EncodedFrameRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Live captions and standing questions: per stream and event-time window, the caption prompt and every standing
 * question are fused with the window's frames as they arrive; when the stream's own clock passes the window's end
 * (or the stream stops) they become generation tasks.
 * After generation, a stream's answers to standing questions are filtered down to the alerts worth sending.
 */
public final class LiveCaptionPipeline {
    public static final String UID_LIVE_CAPTION = LiveCaptionFunction.UID;
    public static final String UID_ALERT_FILTER = AlertFilterFunction.UID;

    private LiveCaptionPipeline() {}

    /** Caption and alert generation tasks; late frames on {@code IngestOutputs.DLQ}. */
    public static SingleOutputStreamOperator<GenerationTask> define(DataStream<EncodedFrameRecord> frames,
            DataStream<StandingQuestion> standing, PipelineSettings settings) {
        return frames.keyBy(record -> record.frame.streamId, Types.STRING)
                .connect(standing.broadcast(LiveCaptionFunction.STANDING_QUESTIONS))
                .process(new LiveCaptionFunction(settings.caption()), TypeInformation.of(GenerationTask.class))
                .name("live-caption").uid(UID_LIVE_CAPTION);
    }

    /** Answers to standing questions that changed or hit their trigger. */
    public static DataStream<Alert> alerts(DataStream<Alert> answered, PipelineSettings settings) {
        return answered.keyBy(alert -> alert.streamId, Types.STRING)
                .process(new AlertFilterFunction(settings.alertStateTtl()), TypeInformation.of(Alert.class))
                .name("alert-filter").uid(UID_ALERT_FILTER);
    }
}

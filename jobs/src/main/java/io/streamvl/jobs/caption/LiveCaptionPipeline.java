package io.streamvl.jobs.caption;

import io.streamvl.jobs.config.PipelineSettings;
import io.streamvl.kafka.Alert;
import io.streamvl.operators.caption.AlertFilterFunction;
import io.streamvl.operators.caption.CaptionWindowFunction;
import io.streamvl.operators.caption.LiveCaptionFunction;
import io.streamvl.operators.caption.StandingQuestion;
import io.streamvl.operators.caption.TsLlavaWindowFunction;
import io.streamvl.operators.generate.GenerationTask;
import io.streamvl.operators.model.ModelKind;
import io.streamvl.operators.vision.EncodedFrameRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Live captions and standing questions: per stream and event-time window, the caption prompt and every standing
 * question are fused with the window's frames as they arrive (LLaVA-Mini mode), or the window's frames are kept
 * for TS-LLaVA (TS-LLaVA mode); when the stream's own clock passes the window's end (or the stream stops) they
 * become generation tasks.
 * After generation, a stream's answers to standing questions are filtered down to the alerts worth sending.
 */
public final class LiveCaptionPipeline {
    public static final String UID_LIVE_CAPTION = LiveCaptionFunction.UID;
    public static final String UID_TS_LLAVA_CAPTION = TsLlavaWindowFunction.UID;
    public static final String UID_ALERT_FILTER = AlertFilterFunction.UID;

    private LiveCaptionPipeline() {}

    /**
     * Caption and alert generation tasks, by the caption mode's operator (LLaVA-Mini's {@value #UID_LIVE_CAPTION}
     * or TS-LLaVA's {@value #UID_TS_LLAVA_CAPTION}); late frames on {@code IngestOutputs.DLQ}.
     */
    public static SingleOutputStreamOperator<GenerationTask> define(DataStream<EncodedFrameRecord> frames,
            DataStream<StandingQuestion> standing, PipelineSettings settings) {
        boolean ts = settings.captionMode() == ModelKind.TS_LLAVA;
        CaptionWindowFunction<?> captions = ts ? new TsLlavaWindowFunction(settings.caption())
                : new LiveCaptionFunction(settings.caption());
        String uid = ts ? UID_TS_LLAVA_CAPTION : UID_LIVE_CAPTION;
        return frames.keyBy(record -> record.frame.streamId, Types.STRING)
                .connect(standing.broadcast(CaptionWindowFunction.STANDING_QUESTIONS))
                .process(captions, TypeInformation.of(GenerationTask.class))
                .name(uid).uid(uid);
    }

    /** Answers to standing questions that changed or hit their trigger. */
    public static DataStream<Alert> alerts(DataStream<Alert> answered, PipelineSettings settings) {
        return answered.keyBy(alert -> alert.streamId, Types.STRING)
                .process(new AlertFilterFunction(settings.alertStateTtl()), TypeInformation.of(Alert.class))
                .name("alert-filter").uid(UID_ALERT_FILTER);
    }
}

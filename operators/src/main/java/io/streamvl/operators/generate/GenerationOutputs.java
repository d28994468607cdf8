package io.streamvl.operators.generate;

import io.streamvl.kafka.Alert;
import io.streamvl.kafka.Answer;
import io.streamvl.kafka.Caption;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits completed {@link GenerationTask}s into their records: captions on the main output, alerts
 * on {@link #ALERTS} (for the alert filter), answers on {@link #ANSWERS}.
 */
public class GenerationOutputs extends ProcessFunction<GenerationTask, Caption> {
    private static final long serialVersionUID = 1L;

    public static final String UID = "generation-outputs";
    public static final OutputTag<Alert> ALERTS = new OutputTag<>("alerts", TypeInformation.of(Alert.class));
    public static final OutputTag<Answer> ANSWERS = new OutputTag<>("answers", TypeInformation.of(Answer.class));

    @Override
    public void processElement(GenerationTask task, Context ctx, Collector<Caption> out) {
        switch (task.kind) {
            case GenerationTask.CAPTION -> out.collect(task.caption);
            case GenerationTask.ALERT -> ctx.output(ALERTS, task.alert);
            case GenerationTask.ANSWER -> ctx.output(ANSWERS, task.answer);
            default -> throw new IllegalStateException("unknown generation task kind " + task.kind);
        }
    }
}

package io.streamvl.jobs.generate;

import io.streamvl.jobs.config.PipelineSettings;
import io.streamvl.kafka.Alert;
import io.streamvl.kafka.Answer;
import io.streamvl.kafka.Caption;
import io.streamvl.operators.generate.GenerationOperator;
import io.streamvl.operators.generate.GenerationOutputs;
import io.streamvl.operators.generate.GenerationTask;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/** Text generation for captions, standing questions and answers, batched together, split into their records. */
public final class GenerationPipeline {
    public static final String UID_GENERATE = GenerationOperator.UID;
    public static final String UID_OUTPUTS = GenerationOutputs.UID;

    private GenerationPipeline() {}

    /** Captions; answers to standing questions, one per question and window (not yet filtered); query answers. */
    public record Generated(DataStream<Caption> captions, DataStream<Alert> answered, DataStream<Answer> answers) {}

    /**
     * @param captionTasks straight from the live caption operator: the union keeps its edge forward, so a
     *     stream's windows are generated, and their alerts filtered, in window order
     */
    public static Generated define(DataStream<GenerationTask> captionTasks, DataStream<GenerationTask> answerTasks,
            PipelineSettings settings) {
        SingleOutputStreamOperator<Caption> outputs = captionTasks.union(answerTasks)
                .transform("generate", TypeInformation.of(GenerationTask.class),
                        new GenerationOperator(settings.model(), settings.generate().maxBatch(),
                                settings.generate().maxWait()))
                .uid(UID_GENERATE)
                .process(new GenerationOutputs(), TypeInformation.of(Caption.class))
                .name("generation-outputs").uid(UID_OUTPUTS);
        return new Generated(outputs, outputs.getSideOutput(GenerationOutputs.ALERTS),
                outputs.getSideOutput(GenerationOutputs.ANSWERS));
    }
}

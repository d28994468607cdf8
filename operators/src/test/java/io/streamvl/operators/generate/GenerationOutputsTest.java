package io.streamvl.operators.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.kafka.Alert;
import io.streamvl.kafka.Answer;
import io.streamvl.kafka.Caption;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class GenerationOutputsTest {

    @Test
    void captionsGoToTheMainOutputAlertsAndAnswersToTheirSideOutputs() throws Exception {
        Caption c = new Caption();
        c.caption = "a red circle";
        Alert a = new Alert();
        a.answer = "yes";
        Answer q = new Answer();
        q.answer = "left";
        float[][] input = new float[1][1];
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(new GenerationOutputs())) {
            h.processElement(GenerationTask.caption(c, input, 1), 1);
            h.processElement(GenerationTask.alert(a, null, input, 1), 2);
            h.processElement(GenerationTask.answer(q, input, 1, 0), 3);
            // the harness copies records, and the record types have no equals: compare their text
            assertThat(h.extractOutputValues()).extracting(x -> x.caption).containsExactly("a red circle");
            List<Alert> alerts = new ArrayList<>();
            h.getSideOutput(GenerationOutputs.ALERTS).forEach(r -> alerts.add(r.getValue()));
            List<Answer> answers = new ArrayList<>();
            h.getSideOutput(GenerationOutputs.ANSWERS).forEach(r -> answers.add(r.getValue()));
            assertThat(alerts).extracting(x -> x.answer).containsExactly("yes");
            assertThat(answers).extracting(x -> x.answer).containsExactly("left");
        }
    }
}

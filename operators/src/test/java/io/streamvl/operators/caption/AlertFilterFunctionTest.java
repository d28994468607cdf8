package io.streamvl.operators.caption;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.kafka.Alert;
import io.streamvl.operators.testing.Harnesses;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AlertFilterFunctionTest {
    private static final long T0 = 1_700_000_000_000L;

    private static KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> harness(String backend)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AlertFilterFunction(Duration.ofHours(1))), (Alert a) -> a.streamId,
                Types.STRING);
        Harnesses.useBackend(h, backend);
        return h;
    }

    private static int window;

    private static void alert(KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> h, String stream,
            String id, String question, String answer, boolean triggered) throws Exception {
        Alert a = new Alert();
        a.streamId = stream;
        a.questionId = id;
        a.question = question;
        a.answer = answer;
        a.triggered = triggered;
        a.windowStartMillis = T0 + 10_000L * window++;
        h.processElement(new StreamRecord<>(a, a.windowStartMillis));
    }

    private static List<String> drain(KeyedOneInputStreamOperatorTestHarness<String, Alert, Alert> h) {
        List<String> out = h.extractOutputValues().stream()
                .map(a -> a.streamId + " " + a.questionId + ": " + a.previousAnswer + " -> " + a.answer
                        + (a.triggered ? " !" : ""))
                .toList();
        h.getOutput().clear();
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void alertsOnlyWhenTheAnswerChangesOrMatchesTheTrigger(String backend) throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(backend)) {
            h.open();
            alert(h, "cam-1", "q1", "what moves ?", "a red circle", false);
            alert(h, "cam-1", "q1", "what moves ?", "A red circle ", false);
            alert(h, "cam-2", "q1", "what moves ?", "a red circle", false);
            alert(h, "cam-1", "q2", "is it red ?", "yes", true);
            alert(h, "cam-1", "q2", "is it red ?", "yes", true);
            assertThat(drain(h)).containsExactly(
                    "cam-1 q1: null -> a red circle",
                    "cam-2 q1: null -> a red circle",
                    "cam-1 q2: null -> yes !",
                    "cam-1 q2: yes -> yes !");
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(backend)) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            alert(h, "cam-1", "q1", "what moves ?", "a red circle", false);
            alert(h, "cam-1", "q1", "what moves ?", "a blue square", false);
            alert(h, "cam-1", "q2", "is it red ?", "no", false);
            alert(h, "cam-1", "q2", "is it red ?", "no", false);
            // a reworded question starts afresh
            alert(h, "cam-1", "q1", "what is in the scene ?", "a blue square", false);
            assertThat(drain(h)).containsExactly(
                    "cam-1 q1: a red circle -> a blue square",
                    "cam-1 q2: yes -> no",
                    "cam-1 q1: null -> a blue square");
        }
    }
}

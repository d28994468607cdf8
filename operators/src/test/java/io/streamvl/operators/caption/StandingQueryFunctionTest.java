package io.streamvl.operators.caption;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.kafka.Answer;
import io.streamvl.kafka.AnswerStatus;
import io.streamvl.kafka.Query;
import io.streamvl.operators.query.QueryOutputs;
import io.streamvl.operators.query.QuerySettings;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class StandingQueryFunctionTest {
    private static Query query(String kind, String id, String stream, String question) {
        Query q = new Query();
        q.kind = kind;
        q.queryId = id;
        q.streamId = stream;
        q.question = question;
        return q;
    }

    @Test
    void registersAndCancelsWithAnOkAnswerAndRejectsTheRestWithAnError() throws Exception {
        Query withVideo = query(Query.KIND_STANDING, "video", null, "red?");
        withVideo.videoUri = "/videos/a.mp4";
        Query registered = query(Query.KIND_STANDING, "red", "cam-1", " Is there a red circle? ");
        registered.trigger = "yes";
        try (var h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(
                new StandingQueryFunction(QuerySettings.defaults().withMaxQuestionChars(30))))) {
            h.open();
            for (Query q : List.of(registered, query(Query.KIND_CANCEL, "red", null, null),
                    query(Query.KIND_STANDING, "empty", "cam-1", " "), withVideo,
                    query(Query.KIND_STANDING, "long", null, "x".repeat(31)))) {
                h.processElement(new StreamRecord<>(q));
            }
            assertThat(h.extractOutputValues()).containsExactly(
                    new StandingQuestion("red", "cam-1", "Is there a red circle?", "yes", true),
                    StandingQuestion.cancel("red"));
            List<Answer> answers = new ArrayList<>();
            h.getSideOutput(QueryOutputs.ANSWERS).forEach(r -> answers.add(r.getValue()));
            assertThat(answers).extracting(a -> a.queryId + " " + a.status).containsExactly(
                    "red " + AnswerStatus.OK, "red " + AnswerStatus.OK, "empty " + AnswerStatus.INVALID_QUERY,
                    "video " + AnswerStatus.INVALID_QUERY, "long " + AnswerStatus.QUESTION_TOO_LONG);
            assertThat(answers.get(0).message).contains("stream cam-1", "'yes'");
            assertThat(answers.get(1).message).contains("cancelled");
            assertThat(answers.get(2).message).contains("no question");
        }
    }
}

package io.streamvl.operators.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.kafka.Answer;
import io.streamvl.kafka.AnswerStatus;
import io.streamvl.kafka.Query;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

class QueryRouterTest {
    private final QueryParser parser = new QueryParser(QuerySettings.defaults());

    private ParsedQuery parse(String json) {
        return parser.parse(null, json.getBytes(StandardCharsets.UTF_8), "streamvl.queries", 0, 5, 1000L);
    }

    private static <T> List<T> side(OneInputStreamOperatorTestHarness<?, ?> h, OutputTag<T> tag) {
        List<T> out = new ArrayList<>();
        if (h.getSideOutput(tag) != null) {
            h.getSideOutput(tag).forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    @Test
    void sendsEachKindOfQueryToItsOwnOutput() throws Exception {
        try (var h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new QueryRouter()))) {
            h.open();
            for (String json : List.of(
                    "{\"queryId\":\"history\",\"streamId\":\"cam-1\",\"question\":\"q?\"}",
                    "{\"queryId\":\"file\",\"videoUri\":\"/videos/a.mp4\",\"question\":\"q?\"}",
                    "{\"queryId\":\"standing\",\"kind\":\"standing\",\"question\":\"red?\"}",
                    "{\"queryId\":\"cancel\",\"kind\":\"cancel\"}",
                    "{\"queryId\":\"bad\",\"streamId\":\"cam-1\"}",
                    "not json")) {
                h.processElement(new StreamRecord<>(parse(json)));
            }
            assertThat(h.extractOutputValues()).extracting(r -> r.query.queryId).containsExactly("history");
            assertThat(side(h, QueryOutputs.FILE_QUERIES)).extracting(r -> r.query.queryId).containsExactly("file");
            assertThat(side(h, QueryOutputs.STANDING_QUERIES)).extracting((Query q) -> q.queryId)
                    .containsExactly("standing", "cancel");
            assertThat(side(h, QueryOutputs.ANSWERS)).extracting((Answer a) -> a.queryId + " " + a.status)
                    .containsExactly("bad " + AnswerStatus.INVALID_QUERY,
                            "query@streamvl.queries/0/5 " + AnswerStatus.MALFORMED_QUERY);
        }
    }
}

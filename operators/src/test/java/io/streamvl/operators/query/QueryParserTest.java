package io.streamvl.operators.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.kafka.Answer;
import io.streamvl.kafka.AnswerStatus;
import io.streamvl.kafka.Query;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.types.PojoTestUtils;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class QueryParserTest {
    private static final long SENT = 1_764_165_000_000L;
    private final QueryParser parser = new QueryParser(QuerySettings.defaults().withMaxQuestionChars(40)
            .withUriPolicy(VideoUriPolicy.localFilesUnder(Path.of("/videos"))));

    private ParsedQuery parse(String json) {
        return parser.parse("cam-1".getBytes(StandardCharsets.UTF_8),
                json == null ? null : json.getBytes(StandardCharsets.UTF_8), "streamvl.queries", 1, 42, SENT);
    }

    private Answer error(String json) {
        ParsedQuery p = parse(json);
        assertThat(p.request).isNull();
        assertThat(p.error).isNotNull();
        return p.error;
    }

    @Test
    void aValidStreamQueryComesOutWithItsDefaultsFilledIn() {
        ParsedQuery p = parse("{\"queryId\":\"q1\",\"streamId\":\"cam-1\",\"question\":\"what moves?\","
                + "\"fromMillis\":10,\"toMillis\":20,\"unknownField\":true}");
        assertThat(p.error).isNull();
        Query q = p.request.query;
        assertThat(q.queryId).isEqualTo("q1");
        assertThat(q.kind).isEqualTo(Query.KIND_ASK);
        assertThat(q.maxTokens).isEqualTo(QuerySettings.defaults().defaultMaxTokens());
        assertThat(q.fromMillis).isEqualTo(10L);
        assertThat(p.request.receivedMillis).isEqualTo(SENT);
        assertThat(p.request.isFileQuery()).isFalse();
    }

    @Test
    void aValidFileQueryKeepsItsModeAndTokens() {
        ParsedQuery p = parse("{\"queryId\":\"q2\",\"videoUri\":\"file:///videos/a.mp4\",\"question\":\"why?\","
                + "\"mode\":\"llava-mini\",\"maxTokens\":7}");
        assertThat(p.error).isNull();
        assertThat(p.request.isFileQuery()).isTrue();
        assertThat(p.request.query.maxTokens).isEqualTo(7);
        assertThat(p.request.query.mode).isEqualTo("llava-mini");
    }

    @Test
    void unreadableJsonIsMalformedUnderAnIdDerivedFromTheRecordAndQuotesItsFirstBytes() {
        Answer a = error("{\"queryId\": \"q1\", question: nope");
        assertThat(a.status).isEqualTo(AnswerStatus.MALFORMED_QUERY);
        assertThat(a.queryId).isEqualTo("query@streamvl.queries/1/42");
        assertThat(a.message).contains("{\"queryId\": \"q1\", question: nope").contains("cam-1");

        assertThat(error(null).status).isEqualTo(AnswerStatus.MALFORMED_QUERY);
        assertThat(error("[1, 2]").status).isEqualTo(AnswerStatus.MALFORMED_QUERY);
        assertThat(error("null").status).isEqualTo(AnswerStatus.MALFORMED_QUERY);
        assertThat(error("{\"queryId\":\"q\",\"fromMillis\":\"yesterday\"}").status)
                .isEqualTo(AnswerStatus.MALFORMED_QUERY);
    }

    @Test
    void aLongUnreadableValueIsQuotedOnlyInPart() {
        String junk = "x".repeat(5000);
        Answer a = error(junk);
        assertThat(a.message).contains("starting '" + "x".repeat(QueryParser.QUOTED_BYTES) + "...'")
                .hasSizeLessThan(1000);
    }

    @Test
    void missingPiecesAreInvalid() {
        Answer noId = error("{\"streamId\":\"cam-1\",\"question\":\"q?\"}");
        assertThat(noId.status).isEqualTo(AnswerStatus.INVALID_QUERY);
        assertThat(noId.queryId).isEqualTo("query@streamvl.queries/1/42");
        assertThat(noId.streamId).isEqualTo("cam-1");

        for (String json : List.of(
                "{\"queryId\":\"q\",\"streamId\":\"cam-1\"}",
                "{\"queryId\":\"q\",\"streamId\":\"cam-1\",\"question\":\"  \"}",
                "{\"queryId\":\"q\",\"question\":\"q?\"}",
                "{\"queryId\":\"q\",\"question\":\"q?\",\"streamId\":\"cam-1\",\"videoUri\":\"/videos/a.mp4\"}",
                "{\"queryId\":\"q\",\"question\":\"q?\",\"streamId\":\"cam-1\",\"kind\":\"sometimes\"}",
                "{\"queryId\":\"q\",\"question\":\"q?\",\"streamId\":\"cam-1\",\"maxTokens\":0}",
                "{\"queryId\":\"q\",\"question\":\"q?\",\"streamId\":\"cam-1\",\"maxTokens\":100000}",
                "{\"queryId\":\"q\",\"question\":\"q?\",\"streamId\":\"cam-1\",\"fromMillis\":5,\"toMillis\":5}")) {
            Answer a = error(json);
            assertThat(a.status).as(json).isEqualTo(AnswerStatus.INVALID_QUERY);
            assertThat(a.queryId).as(json).isEqualTo("q");
            assertThat(a.message).as(json).isNotBlank();
        }
    }

    @Test
    void videoUrisTheJobMustNotOpenAreInvalid() {
        for (String uri : List.of("concat:/videos/a.mp4|/etc/passwd", "subfile,,0,100,:/etc/passwd",
                "videos/a.mp4", "/etc/passwd", "file:///etc/passwd", "rtsp://cam/live", "ftp://host/a.mp4")) {
            Answer a = error("{\"queryId\":\"q\",\"question\":\"q?\",\"videoUri\":\"" + uri + "\"}");
            assertThat(a.status).as(uri).isEqualTo(AnswerStatus.INVALID_QUERY);
            assertThat(a.videoUri).isEqualTo(uri);
        }
    }

    @Test
    void aQuestionOverTheLimitIsTooLong() {
        Answer a = error("{\"queryId\":\"q\",\"streamId\":\"cam-1\",\"question\":\"" + "w".repeat(41) + "\"}");
        assertThat(a.status).isEqualTo(AnswerStatus.QUESTION_TOO_LONG);
        assertThat(a.message).contains("41").contains("40");
        assertThat(parse("{\"queryId\":\"q\",\"streamId\":\"cam-1\",\"question\":\"" + "w".repeat(40) + "\"}").error)
                .isNull();
    }

    @Test
    void unknownAndDisabledModesAreUnsupported() {
        Answer unknown = error("{\"queryId\":\"q\",\"streamId\":\"c\",\"question\":\"q?\",\"mode\":\"gpt\"}");
        assertThat(unknown.status).isEqualTo(AnswerStatus.UNSUPPORTED_MODE);
        assertThat(unknown.message).contains("unknown mode 'gpt'");
        ParsedQuery ts = parse("{\"queryId\":\"q\",\"streamId\":\"c\",\"question\":\"q?\",\"mode\":\"ts-llava\"}");
        assertThat(ts.error).as("ts-llava is a mode of the pipeline").isNull();
        assertThat(ts.request.query.mode).isEqualTo("ts-llava");

        QueryParser miniOnly = new QueryParser(QuerySettings.defaults().withEnabledModes(Set.of("auto", "llava-mini")));
        ParsedQuery disabled = miniOnly.parse(null, "{\"queryId\":\"q\",\"streamId\":\"c\",\"question\":\"q?\",\"mode\":\"ts-llava\"}"
                .getBytes(StandardCharsets.UTF_8), "t", 0, 0, SENT);
        assertThat(disabled.error.status).isEqualTo(AnswerStatus.UNSUPPORTED_MODE);
        assertThat(disabled.error.message).contains("not enabled");
    }

    @Test
    void standingAndCancelPassThroughAsRead() {
        ParsedQuery standing = parse("{\"queryId\":\"s1\",\"kind\":\"standing\",\"question\":\"" + "w".repeat(100)
                + "\",\"trigger\":\"red\"}");
        assertThat(standing.error).isNull();
        assertThat(standing.request.query.kind).isEqualTo(Query.KIND_STANDING);
        assertThat(standing.request.query.trigger).isEqualTo("red");
        assertThat(standing.request.query.maxTokens).isNull();

        ParsedQuery cancel = parse("{\"queryId\":\"s1\",\"kind\":\"cancel\"}");
        assertThat(cancel.error).isNull();
        assertThat(cancel.request.query.kind).isEqualTo(Query.KIND_CANCEL);
    }

    @Test
    void aRecordWithoutTimestampIsStampedWhenRead() {
        long before = System.currentTimeMillis();
        ParsedQuery p = parser.parse(null, "{\"queryId\":\"q\",\"streamId\":\"c\",\"question\":\"q?\"}"
                .getBytes(StandardCharsets.UTF_8), "t", 0, 0, -1);
        assertThat(p.request.receivedMillis).isBetween(before, System.currentTimeMillis());
    }

    @Test
    void theDeserializationSchemaEmitsOneParsedQueryPerRecordWhateverItHolds() {
        QueryDeserializationSchema schema = new QueryDeserializationSchema(QuerySettings.defaults());
        List<ParsedQuery> out = new ArrayList<>();
        Collector<ParsedQuery> collector = new Collector<>() {
            @Override
            public void collect(ParsedQuery record) {
                out.add(record);
            }

            @Override
            public void close() {}
        };
        schema.deserialize(record(null, null), collector);
        schema.deserialize(record("cam-1", new byte[] {(byte) 0xff, 0, 1}), collector);
        schema.deserialize(record("cam-1", "{\"queryId\":\"q\",\"streamId\":\"cam-1\",\"question\":\"q?\"}"
                .getBytes(StandardCharsets.UTF_8)), collector);
        assertThat(out).hasSize(3);
        assertThat(out.get(0).error.queryId).isEqualTo("query@streamvl.queries/3/99");
        assertThat(out.get(1).error.status).isEqualTo(AnswerStatus.MALFORMED_QUERY);
        assertThat(out.get(2).request.query.queryId).isEqualTo("q");
        assertThat(out.get(2).request.receivedMillis).isEqualTo(SENT);
        assertThat(schema.getProducedType().getTypeClass()).isEqualTo(ParsedQuery.class);
    }

    @Test
    void queryRecordsAreFlinkPojos() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ParsedQuery.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(QueryRequest.class);
    }

    private static ConsumerRecord<byte[], byte[]> record(String key, byte[] value) {
        byte[] k = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>("streamvl.queries", 3, 99, SENT, TimestampType.CREATE_TIME,
                k == null ? -1 : k.length, value == null ? -1 : value.length, k, value, new RecordHeaders(),
                Optional.empty());
    }
}

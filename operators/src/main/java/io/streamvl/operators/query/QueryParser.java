package io.streamvl.operators.query;

import io.streamvl.kafka.Answer;
import io.streamvl.kafka.AnswerStatus;
import io.streamvl.kafka.Json;
import io.streamvl.kafka.Query;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns a record of the queries topic into a validated {@link Query} or the error {@link Answer} its client
 * gets instead. {@code standing} and {@code cancel} queries are passed through as read (after their JSON
 * parsed): the standing-question operator validates its own.
 *
 * <p>A record whose query id cannot be read (not JSON, or no {@code queryId}) is answered under the id
 * {@code query@<topic>/<partition>/<offset>}: deterministic, so a replay answers under the same id, and a
 * client can compute it from the metadata its producer gets back for the send.
 *
 * <p>Checks, in order: JSON ({@code malformed-query}); {@code queryId}, {@code kind}, {@code question}, exactly
 * one of {@code streamId} and {@code videoUri} ({@code invalid-query}); question length
 * ({@code question-too-long}); mode ({@code unsupported-mode}); {@code maxTokens}, the time range and the
 * video URI ({@code invalid-query}). A valid query leaves with its kind and {@code maxTokens} filled in.
 */
public final class QueryParser implements Serializable {
    private static final long serialVersionUID = 1L;
    /** How much of an unreadable record its error message quotes. */
    static final int QUOTED_BYTES = 200;

    private final QuerySettings settings;

    public QueryParser(QuerySettings settings) {
        this.settings = settings;
    }

    /**
     * @param key the record's key (stream id or video URI; only quoted in messages), may be null
     * @param value the record's value, may be null
     * @param timestampMillis the record's timestamp; negative when it has none (then: now)
     */
    public ParsedQuery parse(byte[] key, byte[] value, String topic, int partition, long offset,
            long timestampMillis) {
        long received = timestampMillis >= 0 ? timestampMillis : System.currentTimeMillis();
        String fallbackId = recordId(topic, partition, offset);
        if (value == null || value.length == 0) {
            return rejected(null, fallbackId, AnswerStatus.MALFORMED_QUERY, "record has no value" + keyNote(key));
        }
        Query query;
        try {
            query = Json.read(value, Query.class);
        } catch (IOException e) {
            return rejected(null, fallbackId, AnswerStatus.MALFORMED_QUERY, "not a query in JSON (" + firstLine(e)
                    + "); " + value.length + " bytes starting " + quote(value) + keyNote(key));
        }
        if (query == null) {
            return rejected(null, fallbackId, AnswerStatus.MALFORMED_QUERY, "the value is JSON null" + keyNote(key));
        }
        String problem = blank(query.queryId) ? "no queryId" : null;
        if (problem != null) {
            return rejected(query, fallbackId, AnswerStatus.INVALID_QUERY, problem);
        }
        query.kind = query.kindOrDefault();
        switch (query.kind) {
            case Query.KIND_STANDING, Query.KIND_CANCEL -> {
                return ParsedQuery.of(query, received);
            }
            case Query.KIND_ASK -> {
                return validateAsk(query, received);
            }
            default -> {
                return rejected(query, null, AnswerStatus.INVALID_QUERY, "unknown kind '" + query.kind
                        + "' (ask, standing or cancel)");
            }
        }
    }

    /** The id error answers use for a record whose own query id is unknown. */
    public static String recordId(String topic, int partition, long offset) {
        return "query@" + topic + "/" + partition + "/" + offset;
    }

    private ParsedQuery validateAsk(Query q, long received) {
        q.streamId = blank(q.streamId) ? null : q.streamId;
        q.videoUri = blank(q.videoUri) ? null : q.videoUri;
        if (blank(q.question)) {
            return rejected(q, null, AnswerStatus.INVALID_QUERY, "no question");
        }
        if ((q.streamId == null) == (q.videoUri == null)) {
            return rejected(q, null, AnswerStatus.INVALID_QUERY, q.streamId == null
                    ? "neither streamId nor videoUri: say which video the question is about"
                    : "both streamId and videoUri: a query is about one stream or one video");
        }
        if (q.question.length() > settings.maxQuestionChars()) {
            return rejected(q, null, AnswerStatus.QUESTION_TOO_LONG, "question of " + q.question.length()
                    + " characters; the limit is " + settings.maxQuestionChars());
        }
        if (q.mode != null && !settings.enabledModes().contains(q.mode)) {
            return rejected(q, null, AnswerStatus.UNSUPPORTED_MODE, QuerySettings.KNOWN_MODES.contains(q.mode)
                    ? "mode '" + q.mode + "' is not enabled here; enabled: " + settings.enabledModes()
                    : "unknown mode '" + q.mode + "'; enabled: " + settings.enabledModes());
        }
        if (q.maxTokens != null && (q.maxTokens < 1 || q.maxTokens > settings.maxTokensLimit())) {
            return rejected(q, null, AnswerStatus.INVALID_QUERY, "maxTokens " + q.maxTokens
                    + " outside 1.." + settings.maxTokensLimit());
        }
        if (q.fromMillis != null && q.toMillis != null && q.fromMillis >= q.toMillis) {
            return rejected(q, null, AnswerStatus.INVALID_QUERY, "empty time range: fromMillis " + q.fromMillis
                    + " is not before toMillis " + q.toMillis);
        }
        if (q.videoUri != null) {
            String uriProblem = settings.uriPolicy().problem(q.videoUri);
            if (uriProblem != null) {
                return rejected(q, null, AnswerStatus.INVALID_QUERY, uriProblem);
            }
        }
        if (q.maxTokens == null) {
            q.maxTokens = settings.defaultMaxTokens();
        }
        return ParsedQuery.of(q, received);
    }

    private static ParsedQuery rejected(Query query, String fallbackId, String status, String message) {
        Answer a = Answer.error(query, status, message);
        if (a.queryId == null) {
            a.queryId = fallbackId;
        }
        return ParsedQuery.rejected(a);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String keyNote(byte[] key) {
        return key == null ? "" : " (key " + quote(key) + ")";
    }

    /** The first bytes as text, so a client can recognise its record; undecodable bytes become U+FFFD. */
    static String quote(byte[] bytes) {
        int n = Math.min(bytes.length, QUOTED_BYTES);
        String text = new String(Arrays.copyOf(bytes, n), StandardCharsets.UTF_8);
        return "'" + text + (bytes.length > n ? "...'" : "'");
    }

    /** Jackson's messages append the source location over several lines; the first says what failed. */
    private static String firstLine(IOException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}

package io.streamvl.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The topic layout streamvl needs. Segments are keyed by stream id and spread over several
 * partitions so decoding scales with streams; the low-volume JSON topics need few. Outputs are kept
 * longer than inputs because they are the product: a segment is worthless a day later, an answer
 * is not.
 */
public final class StreamvlTopics {
    public static final int DEFAULT_SEGMENT_PARTITIONS = 4;
    static final int JSON_PARTITIONS = 2;
    static final Duration SEGMENT_RETENTION = Duration.ofDays(1);
    static final Duration INPUT_RETENTION = Duration.ofDays(7);
    static final Duration OUTPUT_RETENTION = Duration.ofDays(30);

    private StreamvlTopics() {}

    public static List<TopicSpec> specs(Topics names, int segmentPartitions, int maxMessageBytes) {
        String maxBytes = String.valueOf(maxMessageBytes);
        return List.of(
                new TopicSpec(names.segments, segmentPartitions,
                        configs(SEGMENT_RETENTION, Map.of("max.message.bytes", maxBytes))),
                new TopicSpec(names.queries, JSON_PARTITIONS, configs(INPUT_RETENTION, Map.of())),
                new TopicSpec(names.answers, JSON_PARTITIONS, configs(OUTPUT_RETENTION, Map.of())),
                new TopicSpec(names.events, JSON_PARTITIONS, configs(INPUT_RETENTION, Map.of())),
                new TopicSpec(names.captions, JSON_PARTITIONS, configs(OUTPUT_RETENTION, Map.of())),
                new TopicSpec(names.alerts, JSON_PARTITIONS, configs(OUTPUT_RETENTION, Map.of())),
                new TopicSpec(names.dlq, 1, configs(INPUT_RETENTION, Map.of("max.message.bytes", maxBytes))));
    }

    private static Map<String, String> configs(Duration retention, Map<String, String> extra) {
        Map<String, String> c = new HashMap<>(extra);
        c.put("retention.ms", String.valueOf(retention.toMillis()));
        c.put("cleanup.policy", "delete");
        return Map.copyOf(c);
    }
}

package io.streamvl.kafka;

import java.util.Map;
import java.util.Objects;

/**
 * A topic to create: name, partition count and topic-level configs. The replication factor is left
 * to the cluster's {@code default.replication.factor}, so the same specs serve one embedded broker
 * and a real cluster.
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {
    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + " needs at least one partition, got " + partitions);
        }
        configs = Map.copyOf(configs);
    }

    public static TopicSpec of(String name, int partitions) {
        return new TopicSpec(name, partitions, Map.of());
    }
}

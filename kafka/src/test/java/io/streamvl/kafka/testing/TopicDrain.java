package io.streamvl.kafka.testing;

import io.streamvl.kafka.EmbeddedKafka;
import io.streamvl.kafka.KafkaClientConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/** Reads a whole topic, from the beginning up to the end offsets taken when the drain starts. */
public final class TopicDrain {
    private TopicDrain() {}

    /**
     * With {@code readCommitted} the end offsets are the last stable ones, so records of open
     * transactions are neither returned nor waited for.
     *
     * @throws IllegalStateException when the end offsets are not reached within {@code timeout}
     */
    public static List<ConsumerRecord<byte[], byte[]>> drain(String bootstrapServers, String topic,
            boolean readCommitted, Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClientConfig.consumer(
                bootstrapServers, null, EmbeddedKafka.DEFAULT_MAX_MESSAGE_BYTES, readCommitted))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, timeout)) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("drained " + records.size() + " records of " + topic
                            + " but did not reach end offsets " + end + " within " + timeout);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}

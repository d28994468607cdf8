package io.streamvl.jobs.client;

import static io.streamvl.jobs.config.StreamvlOptions.BOOTSTRAP_SERVERS;
import static io.streamvl.jobs.config.StreamvlOptions.MAX_MESSAGE_BYTES;

import io.streamvl.jobs.config.StreamvlConfig;
import io.streamvl.kafka.KafkaClientConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Follows whole topics as a client of the job's outputs should: committed records only (the job writes them in
 * transactions), every partition assigned directly rather than through a consumer group, so its position is fixed
 * the moment it opens. Opened at the end, it misses nothing written after it opened: a query sent afterwards
 * cannot be answered before the reader looks.
 */
public final class TopicReader implements AutoCloseable {
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConsumer<byte[], byte[]> consumer;

    private TopicReader(KafkaConsumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
    }

    /**
     * @param fromBeginning the topics' first records, else only records written after this returns
     * @throws IllegalArgumentException when a topic does not exist
     */
    public static TopicReader open(Configuration conf, List<String> topics, boolean fromBeginning) {
        Properties p = StreamvlConfig.kafkaClientProperties(conf);
        p.putAll(KafkaClientConfig.consumer(conf.get(BOOTSTRAP_SERVERS), null, conf.get(MAX_MESSAGE_BYTES), true));
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos;
                try {
                    infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
                } catch (TimeoutException e) {
                    throw new IllegalStateException("Kafka at " + conf.get(BOOTSTRAP_SERVERS) + " did not answer within "
                            + METADATA_TIMEOUT.toSeconds() + " s", e);
                }
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalArgumentException("topic " + topic + " does not exist at "
                            + conf.get(BOOTSTRAP_SERVERS));
                }
                infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            }
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            // seeks are lazy: resolve them now, so "the end" is the end as of opening
            partitions.forEach(consumer::position);
            return new TopicReader(consumer);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        return consumer.poll(timeout);
    }

    /** The topic's records as text: their key, or "" for none. */
    public static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close();
    }
}

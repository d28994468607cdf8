package io.streamvl.jobs.client;

import static io.streamvl.jobs.config.StreamvlOptions.BOOTSTRAP_SERVERS;
import static io.streamvl.jobs.config.StreamvlOptions.MAX_MESSAGE_BYTES;
import static io.streamvl.jobs.config.StreamvlOptions.TOPIC_QUERIES;

import io.streamvl.jobs.config.StreamvlConfig;
import io.streamvl.kafka.Json;
import io.streamvl.kafka.KafkaClientConfig;
import io.streamvl.kafka.Query;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Puts queries on the queries topic, keyed by their stream id or video URI (or, for neither, their query id). */
public final class QueryProducer implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    public QueryProducer(Configuration conf) {
        Properties p = StreamvlConfig.kafkaClientProperties(conf);
        p.putAll(KafkaClientConfig.producer(conf.get(BOOTSTRAP_SERVERS), conf.get(MAX_MESSAGE_BYTES)));
        this.producer = new KafkaProducer<>(p);
        this.topic = conf.get(TOPIC_QUERIES);
    }

    /** Sends the query and waits until the broker has it. */
    public RecordMetadata send(Query query) throws InterruptedException {
        String key = query.streamId != null ? query.streamId : query.videoUri != null ? query.videoUri : query.queryId;
        try {
            return producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), Json.bytes(query)))
                    .get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("sending query " + query.queryId + " to " + topic + " failed: "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}

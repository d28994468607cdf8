package io.streamvl.jobs;

import static io.streamvl.jobs.config.StreamvlOptions.*;

import io.streamvl.jobs.config.StreamvlConfig;
import io.streamvl.kafka.Alert;
import io.streamvl.kafka.Answer;
import io.streamvl.kafka.Caption;
import io.streamvl.kafka.DlqRecord;
import io.streamvl.kafka.IngestStatus;
import io.streamvl.kafka.JsonRecordSerializationSchema;
import io.streamvl.kafka.KafkaClientConfig;
import io.streamvl.kafka.QueryProgress;
import io.streamvl.kafka.Segment;
import io.streamvl.kafka.SegmentDeserializationSchema;
import io.streamvl.kafka.Topics;
import io.streamvl.operators.query.ParsedQuery;
import io.streamvl.operators.query.QueryDeserializationSchema;
import io.streamvl.operators.query.QuerySettings;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** The job's Kafka sources and sinks, built from the configuration. */
public final class KafkaConnectors {
    private KafkaConnectors() {}

    public static KafkaSource<Segment> segmentSource(Configuration conf) {
        return source(conf, conf.get(TOPIC_SEGMENTS),
                new SegmentDeserializationSchema(KafkaClientConfig.maxSegmentBytes(conf.get(MAX_MESSAGE_BYTES))));
    }

    /** Queries, parsed; a bad record becomes its error answer, never an exception. */
    public static KafkaSource<ParsedQuery> querySource(Configuration conf, QuerySettings settings) {
        return source(conf, conf.get(TOPIC_QUERIES), new QueryDeserializationSchema(settings));
    }

    private static <T> KafkaSource<T> source(Configuration conf, String topic,
            KafkaRecordDeserializationSchema<T> deserializer) {
        Properties client = StreamvlConfig.kafkaClientProperties(conf);
        // the job's own settings win over the user's
        client.putAll(KafkaClientConfig.consumer(conf.get(BOOTSTRAP_SERVERS), conf.get(GROUP_ID),
                conf.get(MAX_MESSAGE_BYTES), true));
        return KafkaSource.<T>builder()
                .setBootstrapServers(conf.get(BOOTSTRAP_SERVERS))
                .setTopics(topic)
                .setGroupId(conf.get(GROUP_ID))
                .setStartingOffsets(startingOffsets(conf.get(STARTING_OFFSETS)))
                .setDeserializer(deserializer)
                .setProperties(client)
                .build();
    }

    private static OffsetsInitializer startingOffsets(String mode) {
        switch (mode) {
            case "earliest":
                return OffsetsInitializer.earliest();
            case "latest":
                return OffsetsInitializer.latest();
            default:
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        }
    }

    /** Every output of the job on its configured topic, keyed as docs/topics.md says. */
    public static JobSinks sinks(Configuration conf) {
        Topics topics = StreamvlConfig.topics(conf);
        return new JobSinks(
                KafkaConnectors.<DlqRecord>jsonSink(conf, topics.dlq, "dlq", r -> r.key),
                KafkaConnectors.<IngestStatus>jsonSink(conf, topics.events, "events", s -> s.streamId),
                KafkaConnectors.<QueryProgress>jsonSink(conf, topics.events, "progress", p -> p.queryId),
                KafkaConnectors.<Caption>jsonSink(conf, topics.captions, "captions", c -> c.streamId),
                KafkaConnectors.<Alert>jsonSink(conf, topics.alerts, "alerts", a -> a.streamId),
                KafkaConnectors.<Answer>jsonSink(conf, topics.answers, "answers", a -> a.queryId));
    }

    /** A sink writing JSON records to {@code topic}, keyed by {@code key}, with the configured guarantee. */
    public static <T> KafkaSink<T> jsonSink(Configuration conf, String topic, String name,
            SerializableFunction<T, String> key) {
        DeliveryGuarantee guarantee = StreamvlConfig.deliveryGuarantee(conf);
        // the user's client properties first, so the settings below that the job depends on win
        var builder = KafkaSink.<T>builder()
                .setKafkaProducerConfig(StreamvlConfig.kafkaClientProperties(conf))
                .setBootstrapServers(conf.get(BOOTSTRAP_SERVERS))
                .setRecordSerializer(new JsonRecordSerializationSchema<>(topic, key))
                .setDeliveryGuarantee(guarantee)
                .setProperty("max.request.size", Integer.toString(conf.get(MAX_MESSAGE_BYTES)));
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            builder.setTransactionalIdPrefix(conf.get(TRANSACTIONAL_ID_PREFIX) + "-" + name)
                    // above the longest checkpoint gap, below the broker's transaction.max.timeout.ms
                    .setProperty("transaction.timeout.ms", "900000");
        }
        return builder.build();
    }
}

package io.streamvl.jobs.cli;

import static io.streamvl.jobs.config.StreamvlOptions.*;

import io.streamvl.kafka.KafkaClientConfig;
import io.streamvl.kafka.SegmentHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.TimeUtils;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `streamvl tail TOPIC`: follow a topic, one line per record (read_committed). */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Follow a streamvl topic: prints 'key<TAB>value' per record; JSON values as they are,",
                "segments as a summary of their headers. Reads committed records only."})
public final class TailCommand implements Callable<Integer> {
    @Mixin
    ConfigMixin config;

    @Parameters(paramLabel = "TOPIC", description = "Topic to follow, e.g. streamvl.events.")
    String topic;

    @Option(names = "--from-beginning", description = "Start at the topic's first record instead of its end.")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N records (default: never).")
    long max = Long.MAX_VALUE;

    @Option(names = "--idle-timeout", paramLabel = "DURATION",
            description = "Stop when no record arrived for this long, e.g. 30s (default: never).")
    String idleTimeout;

    @Override
    public Integer call() throws Exception {
        Configuration conf = config.load();
        Duration idle = idleTimeout == null ? null : TimeUtils.parseDuration(idleTimeout);
        consume(conf.get(BOOTSTRAP_SERVERS), conf.get(MAX_MESSAGE_BYTES), topic, fromBeginning,
                new Limits(max, idle, null), r -> System.out.println(format(r)));
        return 0;
    }

    /** When consuming stops: after {@code max} records, {@code idle} without one, or at {@code deadline}. */
    record Limits(long max, Duration idle, Instant deadline) {}

    /** Reads committed records of {@code topic} into {@code sink} until a limit is reached. */
    static long consume(String bootstrap, int maxMessageBytes, String topic, boolean fromBeginning, Limits limits,
            Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        Properties p = KafkaClientConfig.consumer(bootstrap, "streamvl-tail-" + UUID.randomUUID(), maxMessageBytes, true);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        long seen = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            if (consumer.partitionsFor(topic, Duration.ofSeconds(30)).isEmpty()) {
                throw new IllegalArgumentException("topic " + topic + " does not exist at " + bootstrap);
            }
            consumer.subscribe(List.of(topic));
            Instant lastRecord = Instant.now();
            while (seen < limits.max() && (limits.deadline() == null || Instant.now().isBefore(limits.deadline()))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    sink.accept(r);
                    lastRecord = Instant.now();
                    if (++seen >= limits.max()) {
                        break;
                    }
                }
                System.out.flush();
                if (limits.idle() != null && Duration.between(lastRecord, Instant.now()).compareTo(limits.idle()) > 0) {
                    break;
                }
            }
        }
        return seen;
    }

    static String format(ConsumerRecord<byte[], byte[]> r) {
        String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
        Header seq = r.headers().lastHeader(SegmentHeaders.SEQUENCE);
        if (seq != null) {
            return key + "\tsegment seq=" + text(seq) + " start-ms=" + text(r.headers().lastHeader(SegmentHeaders.START_MILLIS))
                    + " container=" + text(r.headers().lastHeader(SegmentHeaders.CONTAINER))
                    + " bytes=" + (r.value() == null ? 0 : r.value().length);
        }
        return key + "\t" + (r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8));
    }

    private static String text(Header h) {
        return h == null || h.value() == null ? "-" : new String(h.value(), StandardCharsets.UTF_8);
    }
}

package io.streamvl.jobs.cli;

import io.streamvl.jobs.client.TopicReader;
import io.streamvl.kafka.SegmentHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.TimeUtils;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
        long seen = 0;
        Instant lastRecord = Instant.now();
        try (TopicReader reader = TopicReader.open(conf, List.of(topic), fromBeginning)) {
            while (seen < max) {
                for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(500))) {
                    System.out.println(format(r));
                    lastRecord = Instant.now();
                    if (++seen >= max) {
                        break;
                    }
                }
                System.out.flush();
                if (idle != null && Duration.between(lastRecord, Instant.now()).compareTo(idle) > 0) {
                    break;
                }
            }
        }
        return 0;
    }

    static String format(ConsumerRecord<byte[], byte[]> r) {
        String key = TopicReader.key(r);
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

package io.streamvl.kafka.testing;

import io.streamvl.kafka.EmbeddedKafka;
import io.streamvl.kafka.TopicAdmin;
import io.streamvl.kafka.TopicSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded broker per test class, in a fresh temporary directory:
 * {@code @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();}
 */
public class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {
    private final int maxMessageBytes;
    private Path workDir;
    private EmbeddedKafka kafka;

    public EmbeddedKafkaExtension() {
        this(EmbeddedKafka.DEFAULT_MAX_MESSAGE_BYTES);
    }

    public EmbeddedKafkaExtension(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        workDir = Files.createTempDirectory("streamvl-kafka-");
        kafka = EmbeddedKafka.start(workDir, 0, 0, maxMessageBytes);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            deleteRecursively(workDir);
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Creates the topic with a topic limit equal to the broker's message limit. */
    public void createTopic(String name, int partitions) {
        createTopic(new TopicSpec(name, partitions, Map.of("max.message.bytes", String.valueOf(maxMessageBytes))));
    }

    public void createTopic(TopicSpec spec) {
        TopicAdmin.ensureTopics(bootstrapServers(), List.of(spec));
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}

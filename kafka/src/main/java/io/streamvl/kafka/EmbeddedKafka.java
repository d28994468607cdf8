package io.streamvl.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft, combined broker and controller) inside this JVM, listening on
 * 127.0.0.1 only. Used by local mode and by tests. Its data lives under the given work directory,
 * so starting again on the same directory keeps topics and records.
 */
public final class EmbeddedKafka implements AutoCloseable {
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String HOST = "127.0.0.1";
    private static final long ONE_HOUR_MS = 3_600_000L;

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final int maxMessageBytes;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, int maxMessageBytes) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Starts a broker with the default 16 MiB message limit; {@code port} 0 picks a free one. */
    public static EmbeddedKafka start(Path workDir, int port) {
        return start(workDir, port, 0, DEFAULT_MAX_MESSAGE_BYTES);
    }

    /**
     * Starts a broker; {@code port} and {@code controllerPort} 0 pick free ones. Formats the log
     * directory on first use and reuses it afterwards.
     */
    public static EmbeddedKafka start(Path workDir, int port, int controllerPort, int maxMessageBytes) {
        long t0 = System.nanoTime();
        preventSystemExit();
        try {
            Path logDir = Files.createDirectories(workDir.resolve("kafka-logs"));
            int brokerPort = port == 0 ? freePort() : port;
            int cport = controllerPort == 0 ? freePort() : controllerPort;
            Properties props = serverProperties(logDir, brokerPort, cport, maxMessageBytes);
            format(workDir, props);
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
            server.startup();
            String bootstrap = HOST + ":" + brokerPort;
            LOG.info("embedded Kafka up at {} in {} ms (data in {})", bootstrap,
                    (System.nanoTime() - t0) / 1_000_000, logDir);
            return new EmbeddedKafka(server, bootstrap, maxMessageBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded Kafka in " + workDir, e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
    }

    static Properties serverProperties(Path logDir, int brokerPort, int controllerPort, int maxMessageBytes) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("delete.topic.enable", "true");
        // Flink's exactly-once sink keeps transactions open across checkpoints; its default
        // transaction timeout (1 h) must not exceed the broker's maximum.
        p.put("transaction.max.timeout.ms", String.valueOf(2 * ONE_HOUR_MS));
        p.put("message.max.bytes", String.valueOf(maxMessageBytes));
        p.put("replica.fetch.max.bytes", String.valueOf(maxMessageBytes));
        // Socket requests carry a whole batch; leave room above one maximal message.
        p.put("socket.request.max.bytes", String.valueOf(Math.max(100 << 20, 2 * maxMessageBytes)));
        return p;
    }

    private static void format(Path workDir, Properties props) throws IOException {
        Path propsFile = workDir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(propsFile)) {
            props.store(w, "written by streamvl EmbeddedKafka on every start");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {"format", "-t", clusterId(workDir),
                    "-c", propsFile.toString(), "--ignore-formatted"}, ps);
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting Kafka storage in " + workDir + " failed (rc "
                    + rc + "): " + out.toString(StandardCharsets.UTF_8));
        }
    }

    /** The cluster id is kept beside the data so a reused directory always matches it. */
    private static String clusterId(Path workDir) throws IOException {
        Path file = workDir.resolve("cluster.id");
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id);
        return id;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    /** A fatal broker error calls Exit; in an embedded broker that must not end the whole JVM. */
    private static void preventSystemExit() {
        Exit.setExitProcedure((code, msg) -> {
            throw new IllegalStateException("embedded Kafka tried to exit with status " + code + ": " + msg);
        });
        Exit.setHaltProcedure((code, msg) -> {
            throw new IllegalStateException("embedded Kafka tried to halt with status " + code + ": " + msg);
        });
    }
}

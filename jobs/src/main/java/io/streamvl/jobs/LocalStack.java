package io.streamvl.jobs;

import static io.streamvl.jobs.config.StreamvlOptions.*;

import io.streamvl.jobs.config.ModelBundlePath;
import io.streamvl.jobs.config.StreamvlConfig;
import io.streamvl.kafka.EmbeddedKafka;
import io.streamvl.kafka.StreamvlTopics;
import io.streamvl.kafka.TopicAdmin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything embedded: a KRaft Kafka broker on 127.0.0.1 and the streamvl job on a Flink
 * MiniCluster (RocksDB, checkpoints) in this JVM, both under one work directory. Closing stops
 * the job with a savepoint, so the next start resumes where this one ended.
 */
public final class LocalStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    static final String LAST_SAVEPOINT_FILE = "last-savepoint";

    private final Path workDir;
    private final EmbeddedKafka kafka;
    private final Configuration conf;
    private final JobClient job;
    private final String restoredFrom;

    private LocalStack(Path workDir, EmbeddedKafka kafka, Configuration conf, JobClient job, String restoredFrom) {
        this.workDir = workDir;
        this.kafka = kafka;
        this.conf = conf;
        this.job = job;
        this.restoredFrom = restoredFrom;
    }

    /**
     * Starts the broker, creates the topics and submits the job. {@code restoreFrom}: a savepoint
     * path, or null to resume from the last savepoint this work directory recorded (if any);
     * {@code fresh} ignores that record.
     */
    public static LocalStack start(Configuration streamvl, String restoreFrom, boolean fresh) throws Exception {
        // before the broker starts: the job cannot run without its model
        ModelBundlePath.existing(streamvl);
        Path workDir = Path.of(streamvl.get(WORK_DIR)).toAbsolutePath();
        Files.createDirectories(workDir);
        EmbeddedKafka kafka = EmbeddedKafka.start(workDir.resolve("kafka"), streamvl.get(LOCAL_KAFKA_PORT));
        try {
            Configuration conf = new Configuration(streamvl);
            conf.set(BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            TopicAdmin.ensureTopics(kafka.bootstrapServers(), StreamvlTopics.specs(StreamvlConfig.topics(conf),
                    conf.get(SEGMENT_PARTITIONS), conf.get(MAX_MESSAGE_BYTES)));
            String restore = restoreFrom != null ? restoreFrom : fresh ? null : lastSavepoint(workDir);
            Configuration flinkConf = LocalFlink.configure(conf, workDir, restore);
            JobClient job = StreamvlJob.start(LocalFlink.environment(flinkConf), flinkConf);
            return new LocalStack(workDir, kafka, conf, job, restore);
        } catch (Exception e) {
            kafka.close();
            throw e;
        }
    }

    private static String lastSavepoint(Path workDir) throws IOException {
        Path record = workDir.resolve(LAST_SAVEPOINT_FILE);
        if (!Files.exists(record)) {
            return null;
        }
        String path = Files.readString(record, StandardCharsets.UTF_8).trim();
        return path.isEmpty() ? null : path;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public Configuration configuration() {
        return conf;
    }

    public JobClient job() {
        return job;
    }

    public String restoredFrom() {
        return restoredFrom;
    }

    public Path workDir() {
        return workDir;
    }

    /** Stops the job with a savepoint (recorded for the next start), then the broker. */
    @Override
    public void close() throws Exception {
        try {
            String savepoint = job.stopWithSavepoint(false,
                    workDir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(2, TimeUnit.MINUTES);
            Files.writeString(workDir.resolve(LAST_SAVEPOINT_FILE), savepoint, StandardCharsets.UTF_8);
            LOG.info("job stopped with savepoint {}", savepoint);
        } catch (Exception e) {
            LOG.warn("stop-with-savepoint failed ({}); cancelling the job, the next start uses its last checkpoint only if given with --restore-from",
                    e.toString());
            job.cancel().get(1, TimeUnit.MINUTES);
        } finally {
            kafka.close();
        }
    }
}

package io.streamvl.jobs;

import static io.streamvl.jobs.config.StreamvlOptions.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.jobs.config.StreamvlConfig;
import io.streamvl.kafka.Topics;
import io.streamvl.kafka.testing.TopicDrain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `streamvl local`'s lifecycle: start, stop with a savepoint, start again from it, on the same work dir. */
class LocalStackITCase {
    @TempDir
    Path work;

    @Test
    void aStoppedStackResumesFromItsSavepointWithItsTopicsAndData() throws Exception {
        Configuration conf = StreamvlConfig.load(null, Map.of(
                WORK_DIR.key(), work.toString(),
                LOCAL_KAFKA_PORT.key(), "0",
                CHECKPOINT_INTERVAL.key(), "1 s"));
        String savepoint;
        try (LocalStack first = LocalStack.start(conf, null, false)) {
            assertThat(first.bootstrapServers()).startsWith("127.0.0.1:");
            assertThat(first.restoredFrom()).isNull();
            awaitRunning(first);
            for (String topic : Topics.defaults().all()) {
                assertThat(TopicDrain.drain(first.bootstrapServers(), topic, true, Duration.ofSeconds(20))).isEmpty();
            }
        }
        savepoint = Files.readString(work.resolve(LocalStack.LAST_SAVEPOINT_FILE)).trim();
        assertThat(savepoint).contains("savepoint");

        try (LocalStack second = LocalStack.start(conf, null, false)) {
            assertThat(second.restoredFrom()).isEqualTo(savepoint);
            awaitRunning(second);
        }
        try (LocalStack fresh = LocalStack.start(conf, null, true)) {
            assertThat(fresh.restoredFrom()).isNull();
            awaitRunning(fresh);
        }
    }

    private static void awaitRunning(LocalStack stack) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (stack.job().getJobStatus().get() != JobStatus.RUNNING) {
            assertThat(System.nanoTime()).as("job running within 60 s").isLessThan(deadline);
            Thread.sleep(200);
        }
        // a savepoint needs every task running, not just the job
        Thread.sleep(2000);
    }
}

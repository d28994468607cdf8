package io.streamvl.jobs;

import static io.streamvl.jobs.config.StreamvlOptions.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamvl.jobs.config.StreamvlConfig;
import io.streamvl.jobs.testing.TestBundles;
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
                CHECKPOINT_INTERVAL.key(), "1 s",
                MODEL_BUNDLE.key(), TestBundles.randomShapes().toString()));
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

    @Test
    void withoutItsModelBundleNothingStartsAndTheMessageNamesTheKey() throws Exception {
        Configuration conf = StreamvlConfig.load(null, Map.of(
                WORK_DIR.key(), work.toString(),
                LOCAL_KAFKA_PORT.key(), "0",
                MODEL_BUNDLE.key(), work.resolve("no-bundle").toString()));
        assertThatThrownBy(() -> LocalStack.start(conf, null, false))
                .hasMessageContaining(MODEL_BUNDLE.key()).hasMessageContaining("no-bundle").hasMessageContaining("does not exist");
        assertThat(work.resolve("kafka")).doesNotExist();
    }

    /** Running with every task: a savepoint needs that, and a completed checkpoint proves it. */
    private void awaitRunning(LocalStack stack) throws Exception {
        Path checkpoints = work.resolve("checkpoints").resolve(stack.job().getJobID().toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (stack.job().getJobStatus().get() != JobStatus.RUNNING || !checkpointed(checkpoints)) {
            assertThat(System.nanoTime()).as("job running and checkpointed within 120 s").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static boolean checkpointed(Path checkpoints) throws Exception {
        if (!Files.isDirectory(checkpoints)) {
            return false;
        }
        try (var dirs = Files.list(checkpoints)) {
            return dirs.anyMatch(d -> d.getFileName().toString().startsWith("chk-")
                    && Files.exists(d.resolve("_metadata")));
        }
    }
}

package io.streamvl.jobs;

import static io.streamvl.jobs.config.StreamvlOptions.*;

import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Flink side of local mode: a MiniCluster in this JVM with the RocksDB state backend,
 * incremental checkpoints and savepoints under the work directory, REST bound to loopback.
 */
public final class LocalFlink {
    private LocalFlink() {}

    public static Configuration configure(Configuration streamvl, Path workDir, String restoreFrom) {
        Configuration c = new Configuration(streamvl);
        c.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, workDir.resolve("checkpoints").toUri().toString());
        c.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, workDir.resolve("savepoints").toUri().toString());
        c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, streamvl.get(CHECKPOINT_INTERVAL));
        c.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        c.setString("state.backend.rocksdb.localdir", workDir.resolve("rocksdb").toString());
        c.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        c.set(RestOptions.ADDRESS, "127.0.0.1");
        c.set(TaskManagerOptions.NUM_TASK_SLOTS, streamvl.get(PARALLELISM));
        if (restoreFrom != null) {
            c.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        return c;
    }

    public static StreamExecutionEnvironment environment(Configuration localConf) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(localConf);
        env.setParallelism(localConf.get(PARALLELISM));
        return env;
    }
}

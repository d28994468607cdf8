package io.streamvl.jobs.cli;

import io.streamvl.jobs.StreamvlJob;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Runs the job against an external Kafka on the Flink cluster this JVM was launched by (the entry
 * of the cluster image: application mode's job class), or on a local MiniCluster when started
 * outside a cluster.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the whole streamvl job (captions, alerts, queries) against an external",
                "Kafka, on the Flink cluster this runs in (application mode) or on a local",
                "MiniCluster. The model bundle (streamvl.model.bundle) must exist where the job",
                "is built and on every TaskManager."})
public final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigMixin config;

    @Override
    public Integer call() throws Exception {
        Configuration conf = config.load();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        StreamvlJob.define(env, conf);
        env.execute(StreamvlJob.JOB_NAME);
        return 0;
    }
}

package io.streamvl.jobs.deploy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;

/**
 * The configuration keys Flink 2.2 knows, collected from the ConfigOption constants on the test
 * classpath (deprecated fallback keys included, since Flink still honours them), plus the keys the
 * Flink Kubernetes Operator and the S3 filesystem plugin read, which live outside these jars.
 */
final class FlinkKeys {
    private static final String[] OPTION_CLASSES = {
        "org.apache.flink.configuration.CheckpointingOptions",
        "org.apache.flink.configuration.StateBackendOptions",
        "org.apache.flink.configuration.StateRecoveryOptions",
        "org.apache.flink.configuration.StateChangelogOptions",
        "org.apache.flink.configuration.HighAvailabilityOptions",
        "org.apache.flink.configuration.TaskManagerOptions",
        "org.apache.flink.configuration.JobManagerOptions",
        "org.apache.flink.configuration.RestOptions",
        "org.apache.flink.configuration.CoreOptions",
        "org.apache.flink.configuration.MetricOptions",
        "org.apache.flink.configuration.SecurityOptions",
        "org.apache.flink.configuration.PipelineOptions",
        "org.apache.flink.configuration.DeploymentOptions",
        "org.apache.flink.configuration.ExecutionOptions",
        "org.apache.flink.configuration.RestartStrategyOptions",
        "org.apache.flink.configuration.NettyShuffleEnvironmentOptions",
        "org.apache.flink.configuration.RpcOptions",
        "org.apache.flink.configuration.BlobServerOptions",
        "org.apache.flink.configuration.ClusterOptions",
        "org.apache.flink.configuration.WebOptions",
        "org.apache.flink.configuration.ResourceManagerOptions",
        "org.apache.flink.configuration.HeartbeatManagerOptions",
        "org.apache.flink.configuration.CleanupOptions",
        "org.apache.flink.state.rocksdb.RocksDBOptions",
        "org.apache.flink.state.rocksdb.RocksDBConfigurableOptions",
        "org.apache.flink.kubernetes.configuration.KubernetesConfigOptions",
    };

    /**
     * Read by the operator, not by Flink: from the operator's KubernetesOperatorConfigOptions
     * (engineering-anchors §3.2), the ones these manifests may use.
     */
    static final Set<String> OPERATOR_KEYS = Set.of(
            "kubernetes.operator.savepoint.format.type",
            "kubernetes.operator.periodic.savepoint.interval",
            "kubernetes.operator.periodic.checkpoint.interval",
            "kubernetes.operator.savepoint.history.max.count",
            "kubernetes.operator.savepoint.history.max.age",
            "kubernetes.operator.job.savepoint-on-deletion",
            "kubernetes.operator.job.upgrade.last-state-fallback.enabled",
            "kubernetes.operator.job.upgrade.last-state.max.allowed.checkpoint.age",
            "kubernetes.operator.cluster.health-check.checkpoint-progress.enabled");

    /** Read by the flink-s3-fs-hadoop plugin (mirrored into fs.s3a.*); credentials deliberately absent. */
    static final Set<String> S3_PLUGIN_KEYS = Set.of("s3.endpoint", "s3.path.style.access");

    private static final Pattern REPORTER = Pattern.compile("metrics\\.reporter\\.[^.]+\\.(.+)");

    private final Set<String> keys = new HashSet<>();
    private final Set<String> reporterSuffixes = new HashSet<>();

    FlinkKeys() throws ReflectiveOperationException {
        for (String name : OPTION_CLASSES) {
            Class<?> c;
            try {
                c = Class.forName(name);
            } catch (ClassNotFoundException e) {
                continue;
            }
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                    keys.add(o.key());
                    for (FallbackKey k : o.fallbackKeys()) {
                        keys.add(k.getKey());
                    }
                    if (c.getSimpleName().equals("MetricOptions") && f.getName().startsWith("REPORTER_")) {
                        reporterSuffixes.add(o.key());
                    }
                }
            }
        }
        Field port = Class.forName("org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
                .getDeclaredField("ARG_PORT");
        port.setAccessible(true);
        reporterSuffixes.add((String) port.get(null));
    }

    /** A key Flink itself reads: an option of its own, or a setting of a named metric reporter. */
    boolean isFlinkKey(String key) {
        if (keys.contains(key)) {
            return true;
        }
        Matcher m = REPORTER.matcher(key);
        return m.matches() && reporterSuffixes.contains(m.group(1));
    }

    boolean known(String key) {
        return isFlinkKey(key) || OPERATOR_KEYS.contains(key) || S3_PLUGIN_KEYS.contains(key);
    }
}

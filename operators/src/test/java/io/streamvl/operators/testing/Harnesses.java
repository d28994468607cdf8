package io.streamvl.operators.testing;

import io.streamvl.ingest.DecoderOptions;
import io.streamvl.ingest.ModelInputSpec;
import io.streamvl.operators.clock.StreamClockSettings;
import io.streamvl.operators.ingest.IngestSettings;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/** Shared set-up of operator harness tests: state backends by name and small ingest settings. */
public final class Harnesses {
    public static final String HEAP = "heap";
    public static final String ROCKSDB = "rocksdb";

    private Harnesses() {}

    /**
     * A harness environment whose operator registers its metrics on {@code metrics}, where a test reads the
     * operator-wide ones back by name; managed memory for RocksDB as the default environment has.
     */
    public static MockEnvironment recordingMetrics(InterceptingOperatorMetricGroup metrics) {
        return new MockEnvironmentBuilder().setManagedMemorySize(3 << 20).setMetricGroup(
                new UnregisteredMetricGroups.UnregisteredTaskMetricGroup() {
                    @Override
                    public InternalOperatorMetricGroup getOrAddOperator(OperatorID id, String name,
                            Map<String, String> additionalVariables) {
                        return metrics;
                    }
                }).build();
    }

    public static void useBackend(AbstractStreamOperatorTestHarness<?> harness, String backend) {
        harness.setStateBackend(ROCKSDB.equals(backend) ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend());
    }

    /**
     * 1 fps, 64x64 model input, status windows on {@code statusClock}, memory of at most {@code maxFrames} frames /
     * {@code retention}.
     */
    public static IngestSettings settings(StreamClockSettings statusClock, int maxFrames, Duration retention) {
        return new IngestSettings(1.0, ModelInputSpec.clipDefaults().withSize(64, 64), DecoderOptions.defaults(),
                statusClock, 8 << 20, retention, maxFrames, retention.plusHours(1));
    }

    /** As above, with {@link StreamClockSettings#defaults()}: 10 s windows. */
    public static IngestSettings settings(int maxFrames, Duration retention) {
        return settings(StreamClockSettings.defaults(), maxFrames, retention);
    }
}

package io.streamvl.operators.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.kafka.AnswerStatus;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class QueryMetricsTest {
    /** Keeps what is registered, by dotted name. */
    private static final class RecordingGroup extends UnregisteredMetricsGroup {
        final String prefix;
        final Map<String, Metric> metrics;

        RecordingGroup(String prefix, Map<String, Metric> metrics) {
            this.prefix = prefix;
            this.metrics = metrics;
        }

        @Override
        public Counter counter(String name) {
            return counter(name, new SimpleCounter());
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            metrics.put(prefix + name, counter);
            return counter;
        }

        @Override
        public <H extends Histogram> H histogram(String name, H histogram) {
            metrics.put(prefix + name, histogram);
            return histogram;
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return new RecordingGroup(prefix + key + "=" + value + ".", metrics);
        }
    }

    @Test
    void countsAcceptedQueriesErrorsByStatusAndFramesPerQuery() {
        Map<String, Metric> m = new HashMap<>();
        QueryMetrics metrics = new QueryMetrics(new RecordingGroup("", m));
        metrics.accepted();
        metrics.error(AnswerStatus.EMPTY_RANGE);
        metrics.error(AnswerStatus.EMPTY_RANGE);
        metrics.error(AnswerStatus.UNKNOWN_STREAM);
        assertThat(m).doesNotContainKey("framesPerQuery");
        metrics.framesUsed(3);
        metrics.framesUsed(5);

        assertThat(((Counter) m.get("queriesAccepted")).getCount()).isEqualTo(1);
        assertThat(((Counter) m.get("errorAnswers")).getCount()).isEqualTo(3);
        assertThat(((Counter) m.get("status=empty-range.errorAnswers")).getCount()).isEqualTo(2);
        assertThat(((Counter) m.get("status=unknown-stream.errorAnswers")).getCount()).isEqualTo(1);
        Histogram frames = (Histogram) m.get("framesPerQuery");
        assertThat(frames.getCount()).isEqualTo(2);
        assertThat(frames.getStatistics().getMax()).isEqualTo(5);
    }
}

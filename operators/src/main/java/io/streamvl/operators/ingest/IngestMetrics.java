package io.streamvl.operators.ingest;

import io.streamvl.kafka.DlqReason;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The decode operator's metrics: operator-wide totals and the same counters per stream (group
 * {@code stream=<id>}), plus the event-time lag of each stream's newest frame behind the
 * processing-time clock.
 */
final class IngestMetrics {
    private final MetricGroup operatorGroup;
    private final Counters total;
    private final Map<String, Counters> perStream = new HashMap<>();
    private final Map<String, Counter> dlqByReason = new HashMap<>();

    IngestMetrics(MetricGroup operatorGroup) {
        this.operatorGroup = operatorGroup;
        this.total = new Counters(operatorGroup);
    }

    Counters total() {
        return total;
    }

    Counters stream(String streamId) {
        return perStream.computeIfAbsent(streamId,
                id -> new Counters(operatorGroup.addGroup("stream", id)));
    }

    void dlq(String streamId, DlqReason reason) {
        total.dlqRecords.inc();
        stream(streamId).dlqRecords.inc();
        dlqByReason.computeIfAbsent(reason.code(),
                code -> operatorGroup.addGroup("dlqReason", code).counter("dlqRecords")).inc();
    }

    void statusLate(String streamId) {
        total.statusLateSegments.inc();
        stream(streamId).statusLateSegments.inc();
    }

    static final class Counters {
        final Counter segmentsDecoded;
        final Counter framesDecoded;
        final Counter framesSampled;
        final Counter decodeErrors;
        final Counter dlqRecords;
        final Counter sequenceGaps;
        /** Segments with counts for a window whose status record had already gone out: counts in no record. */
        final Counter statusLateSegments;
        volatile long newestFrameMillis = Long.MIN_VALUE;

        Counters(MetricGroup g) {
            segmentsDecoded = g.counter("segmentsDecoded");
            framesDecoded = g.counter("framesDecoded");
            framesSampled = g.counter("framesSampled");
            decodeErrors = g.counter("decodeErrors");
            dlqRecords = g.counter("dlqRecords");
            sequenceGaps = g.counter("sequenceGaps");
            statusLateSegments = g.counter("statusLateSegments");
            g.gauge("eventTimeLagMs", () -> newestFrameMillis == Long.MIN_VALUE
                    ? null : System.currentTimeMillis() - newestFrameMillis);
        }

        void frameDecoded(long eventTimeMillis) {
            framesDecoded.inc();
            if (eventTimeMillis > newestFrameMillis) {
                newestFrameMillis = eventTimeMillis;
            }
        }
    }
}

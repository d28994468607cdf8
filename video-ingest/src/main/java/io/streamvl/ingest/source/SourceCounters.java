package io.streamvl.ingest.source;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** The reader's metrics, registered once per reader and shared by its splits. */
record SourceCounters(Counter framesDecoded, Counter framesSampled, Counter decodeErrors) {
    static SourceCounters register(MetricGroup group) {
        return new SourceCounters(group.counter("framesDecoded"), group.counter("framesSampled"),
                group.counter("decodeErrors"));
    }
}

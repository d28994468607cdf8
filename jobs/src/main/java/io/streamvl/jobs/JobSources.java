package io.streamvl.jobs;

import io.streamvl.kafka.Segment;
import io.streamvl.operators.query.ParsedQuery;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;

/**
 * The job's inputs: video segments with the watermarks event time follows, and queries (which carry no event
 * time of their own).
 */
public record JobSources(Source<Segment, ?, ?> segments, WatermarkStrategy<Segment> segmentWatermarks,
        Source<ParsedQuery, ?, ?> queries) {}

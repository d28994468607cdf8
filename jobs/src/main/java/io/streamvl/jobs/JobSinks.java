package io.streamvl.jobs;

import io.streamvl.kafka.Alert;
import io.streamvl.kafka.Answer;
import io.streamvl.kafka.Caption;
import io.streamvl.kafka.DlqRecord;
import io.streamvl.kafka.IngestStatus;
import io.streamvl.kafka.QueryProgress;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * The job's outputs. {@code statuses} and {@code progress} both go to the events topic, as two sinks because
 * they are two record types with different keys (stream id, query id).
 */
public record JobSinks(Sink<DlqRecord> dlq, Sink<IngestStatus> statuses, Sink<QueryProgress> progress,
        Sink<Caption> captions, Sink<Alert> alerts, Sink<Answer> answers) {}

package io.streamvl.jobs;

import static io.streamvl.jobs.config.StreamvlOptions.*;

import io.streamvl.jobs.config.StreamvlConfig;
import io.streamvl.jobs.ingest.IngestJob;
import io.streamvl.kafka.DlqRecord;
import io.streamvl.kafka.IngestStatus;
import io.streamvl.kafka.Topics;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The streamvl Flink job wired to Kafka as configured: what `streamvl run` and local mode execute. */
public final class StreamvlJob {
    public static final String JOB_NAME = "streamvl";

    private StreamvlJob() {}

    /** Adds the whole pipeline to {@code env}. */
    public static void define(StreamExecutionEnvironment env, Configuration conf) {
        Topics topics = StreamvlConfig.topics(conf);
        IngestJob.defineWorkflow(env,
                KafkaConnectors.segmentSource(conf),
                IngestJob.watermarks(conf.get(WATERMARK_OUT_OF_ORDERNESS), conf.get(SOURCE_IDLENESS)),
                StreamvlConfig.ingestSettings(conf),
                KafkaConnectors.<DlqRecord>jsonSink(conf, topics.dlq, "dlq", r -> r.key),
                KafkaConnectors.<IngestStatus>jsonSink(conf, topics.events, "events", s -> s.streamId));
    }

    public static JobClient start(StreamExecutionEnvironment env, Configuration conf) throws Exception {
        define(env, conf);
        return env.executeAsync(JOB_NAME);
    }
}

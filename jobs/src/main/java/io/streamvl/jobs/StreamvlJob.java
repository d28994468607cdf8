package io.streamvl.jobs;

import static io.streamvl.jobs.config.StreamvlOptions.*;

import io.streamvl.jobs.caption.LiveCaptionPipeline;
import io.streamvl.jobs.config.PipelineSettings;
import io.streamvl.jobs.generate.GenerationPipeline;
import io.streamvl.jobs.ingest.IngestJob;
import io.streamvl.jobs.query.QueryPipeline;
import io.streamvl.kafka.Answer;
import io.streamvl.kafka.QueryProgress;
import io.streamvl.operators.generate.GenerationTask;
import io.streamvl.operators.ingest.IngestOutputs;
import io.streamvl.operators.query.QueryOutputs;
import io.streamvl.operators.query.QueryProgressAfterAnswer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The streamvl Flink job: what `streamvl run` and local mode execute. {@link #define} wires it to Kafka as
 * configured; {@link #defineWorkflow} takes the sources and sinks, so anything can stand in for Kafka.
 */
public final class StreamvlJob {
    public static final String JOB_NAME = "streamvl";

    public static final String UID_DLQ_SINK = "dlq-sink";
    public static final String UID_EVENTS_SINK = "events-sink";
    public static final String UID_PROGRESS_SINK = "progress-sink";
    public static final String UID_CAPTIONS_SINK = "captions-sink";
    public static final String UID_ALERTS_SINK = "alerts-sink";
    public static final String UID_ANSWERS_SINK = "answers-sink";
    public static final String UID_QUERY_FINISHED = "query-finished";

    private StreamvlJob() {}

    /**
     * Adds the whole pipeline to {@code env}, reading and writing the configured Kafka topics.
     *
     * @throws IllegalArgumentException when the model bundle is missing or does not fit the configuration
     */
    public static void define(StreamExecutionEnvironment env, Configuration conf) {
        PipelineSettings settings = PipelineSettings.of(conf);
        JobSources sources = new JobSources(KafkaConnectors.segmentSource(conf),
                IngestJob.watermarks(conf.get(WATERMARK_OUT_OF_ORDERNESS), conf.get(SOURCE_IDLENESS)),
                KafkaConnectors.querySource(conf, settings.query()));
        defineWorkflow(env, sources, KafkaConnectors.sinks(conf), settings);
    }

    public static void defineWorkflow(StreamExecutionEnvironment env, JobSources sources, JobSinks sinks,
            PipelineSettings settings) {
        QueryPipeline.Queries queries = QueryPipeline.define(env, sources.queries(), settings);
        IngestJob.Ingest ingest = IngestJob.define(env, sources.segments(), sources.segmentWatermarks(), settings,
                queries.history());
        SingleOutputStreamOperator<GenerationTask> captionTasks = LiveCaptionPipeline.define(ingest.frames(),
                queries.standing(), settings);
        SingleOutputStreamOperator<GenerationTask> answerTasks = QueryPipeline.encode(
                ingest.queryFrames().union(queries.fileFrames()), settings);
        GenerationPipeline.Generated generated = GenerationPipeline.define(captionTasks, answerTasks, settings);

        ingest.dlq().union(captionTasks.getSideOutput(IngestOutputs.DLQ))
                .sinkTo(sinks.dlq()).name("dlq").uid(UID_DLQ_SINK);
        ingest.statuses().sinkTo(sinks.statuses()).name("events").uid(UID_EVENTS_SINK);
        generated.captions().sinkTo(sinks.captions()).name("captions").uid(UID_CAPTIONS_SINK);
        LiveCaptionPipeline.alerts(generated.answered(), settings)
                .sinkTo(sinks.alerts()).name("alerts").uid(UID_ALERTS_SINK);

        // every stage that can end a query answers it; each answer also ends the query's progress
        DataStream<Answer> answers = queries.answers().union(ingest.answers(),
                answerTasks.getSideOutput(QueryOutputs.ANSWERS), generated.answers());
        answers.sinkTo(sinks.answers()).name("answers").uid(UID_ANSWERS_SINK);
        answers.map(new QueryProgressAfterAnswer()).returns(TypeInformation.of(QueryProgress.class))
                .name(UID_QUERY_FINISHED).uid(UID_QUERY_FINISHED)
                .union(queries.progress(), ingest.progress(),
                        answerTasks.getSideOutput(QueryOutputs.PROGRESS))
                .sinkTo(sinks.progress()).name("query-progress").uid(UID_PROGRESS_SINK);
    }

    public static JobClient start(StreamExecutionEnvironment env, Configuration conf) throws Exception {
        define(env, conf);
        return env.executeAsync(JOB_NAME);
    }
}

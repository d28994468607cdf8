package io.streamvl.jobs.query;

import io.streamvl.jobs.config.PipelineSettings;
import io.streamvl.kafka.Answer;
import io.streamvl.kafka.QueryProgress;
import io.streamvl.operators.caption.StandingQuestion;
import io.streamvl.operators.caption.StandingQueryFunction;
import io.streamvl.operators.generate.GenerationTask;
import io.streamvl.operators.query.FileQueryFunction;
import io.streamvl.operators.query.ParsedQuery;
import io.streamvl.operators.query.QueryEncodeFunction;
import io.streamvl.operators.query.QueryFrames;
import io.streamvl.operators.query.QueryOutputs;
import io.streamvl.operators.query.QueryRequest;
import io.streamvl.operators.query.QueryRouter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The queries topic, routed by kind: history questions (for the video memory), video file and URL questions
 * (decoded here, keyed by query id), standing questions (for the live caption operator); and, once the frames of a
 * question are known, their encoding into the answer's generation task.
 */
public final class QueryPipeline {
    public static final String UID_SOURCE = "queries-source";
    public static final String UID_ROUTE = QueryRouter.UID;
    public static final String UID_FILE_QUERY = FileQueryFunction.UID;
    public static final String UID_STANDING = StandingQueryFunction.UID;
    public static final String UID_STANDING_WATERMARKS = "standing-watermarks";
    public static final String UID_ENCODE = QueryEncodeFunction.UID;

    private QueryPipeline() {}

    /**
     * The queries, routed: history questions, the frames of file questions, standing-question registrations
     * (watermarked so they never hold back event time), and the answers and progress of this stage.
     */
    public record Queries(DataStream<QueryRequest> history, DataStream<QueryFrames> fileFrames,
            DataStream<StandingQuestion> standing, DataStream<Answer> answers, DataStream<QueryProgress> progress) {}

    public static Queries define(StreamExecutionEnvironment env, Source<ParsedQuery, ?, ?> source,
            PipelineSettings settings) {
        // queries are requests, not events of a video: no event time, and no watermark to hold anything back
        SingleOutputStreamOperator<QueryRequest> routed = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "queries").uid(UID_SOURCE)
                .process(new QueryRouter(), TypeInformation.of(QueryRequest.class))
                .name("query-route").uid(UID_ROUTE);

        SingleOutputStreamOperator<QueryFrames> files = routed.getSideOutput(QueryOutputs.FILE_QUERIES)
                .keyBy(request -> request.query.queryId, Types.STRING)
                .process(new FileQueryFunction(settings.query(), settings.ingest().decoder,
                        settings.ingest().modelInput), TypeInformation.of(QueryFrames.class))
                .name("file-query").uid(UID_FILE_QUERY);

        SingleOutputStreamOperator<StandingQuestion> standing = routed.getSideOutput(QueryOutputs.STANDING_QUERIES)
                .process(new StandingQueryFunction(settings.query()), TypeInformation.of(StandingQuestion.class))
                .name("standing-questions").uid(UID_STANDING);
        DataStream<StandingQuestion> timed = standing.assignTimestampsAndWatermarks(StandingQuestion.watermarks())
                .name(UID_STANDING_WATERMARKS).uid(UID_STANDING_WATERMARKS);

        return new Queries(routed, files, timed,
                routed.getSideOutput(QueryOutputs.ANSWERS).union(files.getSideOutput(QueryOutputs.ANSWERS),
                        standing.getSideOutput(QueryOutputs.ANSWERS)),
                files.getSideOutput(QueryOutputs.PROGRESS));
    }

    /** The frames of history and file questions, encoded with each question into answer generation tasks. */
    public static SingleOutputStreamOperator<GenerationTask> encode(DataStream<QueryFrames> frames,
            PipelineSettings settings) {
        return frames.process(new QueryEncodeFunction(settings.model(), settings.query()),
                        TypeInformation.of(GenerationTask.class))
                .name("query-encode").uid(UID_ENCODE);
    }
}

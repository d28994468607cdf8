package io.streamvl.operators.query;

import io.streamvl.kafka.Answer;
import io.streamvl.kafka.Query;
import io.streamvl.kafka.QueryProgress;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** Side outputs of the query operators (and of the video memory, which answers history queries). */
public final class QueryOutputs {
    /** Answers for the answers topic: error answers of every stage. */
    public static final OutputTag<Answer> ANSWERS =
            new OutputTag<>("query-answers", TypeInformation.of(Answer.class));
    /** Progress for the events topic (key: query id). */
    public static final OutputTag<QueryProgress> PROGRESS =
            new OutputTag<>("query-progress", TypeInformation.of(QueryProgress.class));
    /** {@link QueryRouter}: valid queries about a video file or URL, for {@link FileQueryFunction}. */
    public static final OutputTag<QueryRequest> FILE_QUERIES =
            new OutputTag<>("file-queries", TypeInformation.of(QueryRequest.class));
    /** {@link QueryRouter}: {@code standing} and {@code cancel} queries, for the standing-question operator. */
    public static final OutputTag<Query> STANDING_QUERIES =
            new OutputTag<>("standing-queries", TypeInformation.of(Query.class));
    /** The video memory: the frames a history query resolved to, for {@link QueryEncodeFunction}. */
    public static final OutputTag<QueryFrames> QUERY_FRAMES =
            new OutputTag<>("query-frames", TypeInformation.of(QueryFrames.class));

    private QueryOutputs() {}
}

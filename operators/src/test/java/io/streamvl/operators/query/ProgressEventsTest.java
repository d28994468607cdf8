package io.streamvl.operators.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.kafka.Answer;
import io.streamvl.kafka.AnswerStatus;
import io.streamvl.kafka.Query;
import io.streamvl.kafka.QueryProgress;
import org.junit.jupiter.api.Test;

class ProgressEventsTest {
    @Test
    void stagesAdvanceOverTheWholeQuery() {
        double accepted = ProgressEvents.accepted("q", null, 0).fraction;
        double decodingHalf = ProgressEvents.decoding("q", 0.5, null, 0).fraction;
        double decoded = ProgressEvents.decoding("q", 1.0, null, 0).fraction;
        double encoding = ProgressEvents.encoding("q", 3, 0).fraction;
        double generating = ProgressEvents.generating("q", 0).fraction;
        assertThat(accepted).isZero();
        assertThat(decodingHalf).isGreaterThan(accepted).isLessThan(decoded);
        assertThat(encoding).isGreaterThanOrEqualTo(decoded);
        assertThat(generating).isGreaterThan(encoding).isLessThan(1.0);
        assertThat(ProgressEvents.decoding("q", 7, null, 0).fraction).isEqualTo(decoded);
    }

    @Test
    void everyAnswerEndsItsQueryDoneOrFailed() {
        Answer ok = new Answer();
        ok.queryId = "q1";
        ok.status = AnswerStatus.OK;
        QueryProgress done = new QueryProgressAfterAnswer().map(ok);
        assertThat(done.queryId).isEqualTo("q1");
        assertThat(done.stage).isEqualTo(QueryProgress.DONE);
        assertThat(done.fraction).isEqualTo(1.0);
        assertThat(done.type).isEqualTo(QueryProgress.TYPE);

        Query q = new Query();
        q.queryId = "q2";
        QueryProgress failed = new QueryProgressAfterAnswer().map(
                Answer.error(q, AnswerStatus.UNREADABLE_VIDEO, "/x.mp4: no such file"));
        assertThat(failed.queryId).isEqualTo("q2");
        assertThat(failed.stage).isEqualTo(QueryProgress.FAILED);
        assertThat(failed.message).isEqualTo("unreadable-video: /x.mp4: no such file");
    }
}

package io.streamvl.jobs.demo;

import io.streamvl.kafka.Query;
import io.streamvl.shapes.Question;
import io.streamvl.shapes.QuestionType;
import io.streamvl.shapes.SceneObject;
import io.streamvl.shapes.ShapesVideo;
import io.streamvl.shapes.ShapesWorld;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the demo asks and when, with the answers the shapes world says are right: a standing question before the
 * camera starts; a history question about clip 0 once its window's caption is out; one about clip 1, and one about
 * a video file, once clip 1's is. Clip {@code i} of the camera is shapes-world video {@code i} of the seed; the file
 * is video {@value #FILE_VIDEO} of it, so none of the camera's clips.
 */
final class DemoScript {
    static final int FILE_VIDEO = 1000;
    static final String STANDING_ID = "demo-standing";

    /** A query the demo sends and the answer it should get. */
    record Asked(Query query, String truth) {}

    private final long seed;
    private final String streamId;
    private final Map<String, Asked> asked = new LinkedHashMap<>();

    DemoScript(long seed, String streamId) {
        this.seed = seed;
        this.streamId = streamId;
    }

    ShapesVideo clipVideo(int clip) {
        return ShapesWorld.video(seed, clip);
    }

    ShapesVideo fileVideo() {
        return ShapesWorld.video(seed, FILE_VIDEO);
    }

    /** Whether clip 0's first object is there, asked of every window; an alert whenever the answer is yes. */
    Asked standing() {
        SceneObject o = clipVideo(0).scene().objects().get(0);
        Query q = new Query();
        q.queryId = STANDING_ID;
        q.kind = Query.KIND_STANDING;
        q.streamId = streamId;
        q.question = "Is there a " + o.name() + "?";
        q.trigger = "yes";
        return remember(new Asked(q, null));
    }

    /**
     * The questions to ask once window {@code clip}'s caption is out.
     *
     * @param clipStart and {@code clipEnd}: the clip's event-time range
     */
    List<Asked> afterCaption(int clip, long clipStart, long clipEnd, Path fileVideo) {
        List<Asked> out = new ArrayList<>();
        if (clip == 0) {
            out.add(history("demo-history-0", clip, clipStart, clipEnd, QuestionType.COUNT));
        } else if (clip == 1) {
            out.add(history("demo-history-1", clip, clipStart, clipEnd, QuestionType.DIRECTION));
            Question q = fileVideo().questions().get(0);
            Query file = new Query();
            file.queryId = "demo-file";
            file.videoUri = fileVideo.toString();
            file.question = q.question();
            out.add(remember(new Asked(file, q.answer())));
        }
        return out;
    }

    private Asked history(String id, int clip, long from, long to, QuestionType type) {
        Question q = clipVideo(clip).questions().stream().filter(x -> x.type() == type).findFirst().orElseThrow();
        Query query = new Query();
        query.queryId = id;
        query.streamId = streamId;
        query.fromMillis = from;
        query.toMillis = to;
        query.question = q.question();
        return remember(new Asked(query, q.answer()));
    }

    private Asked remember(Asked a) {
        asked.put(a.query().queryId, a);
        return a;
    }

    /** The query of this id the demo sent, or null. */
    Asked asked(String queryId) {
        return asked.get(queryId);
    }

    /** Ids of every query sent so far. */
    Set<String> askedIds() {
        return asked.keySet();
    }

    /** The standing question's right answer for clip {@code clip}. */
    String standingTruth(int clip) {
        SceneObject o = clipVideo(0).scene().objects().get(0);
        return clipVideo(clip).scene().contains(o.color(), o.shape()) ? "yes" : "no";
    }
}

package io.streamvl.shapes.train;

import io.streamvl.ingest.VideoDecodeException;
import io.streamvl.models.train.TrainingSample;
import io.streamvl.shapes.ShapesDataset;
import io.streamvl.shapes.VideoCaption;
import io.streamvl.shapes.VideoQuestion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The supervised samples of a dataset: every question with its answer, and {@link #CAPTION_PROMPT} with each
 * video's caption, so one model both answers and captions. Each video is decoded once and its clip shared by all
 * its samples.
 */
public final class ShapesTraining {
    /** The question the model learns to answer with a video's caption. */
    public static final String CAPTION_PROMPT = "Describe the video.";

    private ShapesTraining() {}

    /** @return the samples in a seeded random order */
    public static List<TrainingSample> samples(ShapesDataset data, ShapesFrames frames, long seed)
            throws VideoDecodeException {
        Map<String, float[]> clips = new HashMap<>();
        for (String video : data.videos()) {
            clips.put(video, frames.decode(data.videoPath(video)));
        }
        List<TrainingSample> out = new ArrayList<>();
        for (VideoQuestion q : data.questions()) {
            out.add(new TrainingSample(clips.get(q.video()), q.question(), q.answer()));
        }
        for (VideoCaption c : data.captions()) {
            out.add(new TrainingSample(clips.get(c.video()), CAPTION_PROMPT, c.caption()));
        }
        Collections.shuffle(out, new Random(seed));
        return out;
    }
}

package io.streamvl.shapes.train;

import io.streamvl.ingest.VideoDecodeException;
import io.streamvl.models.train.SamplePixels;
import io.streamvl.models.train.TrainingSample;
import io.streamvl.shapes.CaptionWriter;
import io.streamvl.shapes.QuestionType;
import io.streamvl.shapes.Scene;
import io.streamvl.shapes.SceneObject;
import io.streamvl.shapes.ShapesDataset;
import io.streamvl.shapes.ShapesWorld;
import io.streamvl.shapes.VideoCaption;
import io.streamvl.shapes.VideoQuestion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The supervised samples of a dataset: every question with its answer, and {@link #CAPTION_PROMPT} with each
 * video's caption, so one model both answers and captions. Each video is decoded once and its clip shared by all
 * its samples.
 */
public final class ShapesTraining {
    /** The question the model learns to answer with a video's caption. */
    public static final String CAPTION_PROMPT = "Describe the video.";
    /**
     * How often a direction or count question is in a pass over the samples, where every other sample is once: the
     * two the LLM learns slowest, as they need the whole clip (an object's place in each frame, or every object
     * once however they overlap) where the others need any one frame.
     */
    public static final int WHOLE_CLIP_REPEATS = 2;

    private ShapesTraining() {}

    static int timesPerPass(QuestionType type) {
        return type == QuestionType.DIRECTION || type == QuestionType.COUNT ? WHOLE_CLIP_REPEATS : 1;
    }

    /**
     * A dataset's samples.
     *
     * @param videos every question and caption over the video's clip, direction and count questions
     *     {@link #WHOLE_CLIP_REPEATS} times
     * @param singleObject those of {@code videos} about videos of one object, a curriculum's first lessons: nothing
     *     to tell apart, so the model first learns to read colour, shape and motion from the pixels
     * @param images the questions a single frame answers (all but direction), each over one of the clip's frames in
     *     turn, for the plain image path, with the named object's place in that frame
     */
    public record Samples(List<TrainingSample> videos, List<TrainingSample> singleObject, List<TrainingSample> images) {}

    /**
     * @param scenes each video's scene, for the patch labels of the auxiliary loss and the places of the objects questions
     *     name; null trains without them
     * @param patch the tower's patch side
     * @param captionSubjects whether captions carry their objects for the binding loss ({@link CaptionSubjects})
     * @param captionRepeats how often each caption is in a pass over the samples, at least 1
     * @return the samples, each list in a seeded random order
     */
    public static Samples samples(ShapesDataset data, ShapesFrames frames, Map<String, Scene> scenes, int patch,
            long seed, boolean captionSubjects, int captionRepeats) throws VideoDecodeException {
        if (captionRepeats < 1) {
            throw new IllegalArgumentException("captions must be in a pass at least once, got " + captionRepeats);
        }
        // as stored JPEGs, made into floats batch by batch: as floats 6000 clips are 2.65 GB of the default 4 GB heap
        Map<String, SamplePixels> clips = new HashMap<>();
        Map<String, int[]> labels = new HashMap<>();
        int[] sampled = new int[ShapesFrames.FRAMES];
        for (int k = 0; k < sampled.length; k++) {
            sampled[k] = k * ShapesWorld.FPS;
        }
        for (String video : data.videos()) {
            clips.put(video, frames.clip(data.videoPath(video)));
            if (scenes != null) {
                labels.put(video, PatchLabels.of(scenes.get(video), sampled, frames.inputSize(), patch));
            }
        }
        List<TrainingSample> out = new ArrayList<>();
        List<TrainingSample> single = new ArrayList<>();
        List<TrainingSample> images = new ArrayList<>();
        Set<String> singleObjectVideos = new HashSet<>();
        for (VideoCaption c : data.captions()) {
            if (!c.caption().contains(CaptionWriter.JOINER)) {
                singleObjectVideos.add(c.video());
            }
        }
        int frameFloats = frames.clipLength() / ShapesFrames.FRAMES;
        for (VideoQuestion q : data.questions()) {
            SamplePixels clip = clips.get(q.video());
            Optional<SceneObject> subject = scenes == null ? Optional.empty()
                    : QuestionSubject.of(scenes.get(q.video()), q.question());
            TrainingSample sample = new TrainingSample(clip, q.question(), q.answer(), labels.get(q.video()),
                    QuestionSubject.targets(subject, sampled));
            boolean singleObject = singleObjectVideos.contains(q.video());
            for (int r = 0; r < timesPerPass(q.type()); r++) {
                out.add(sample);
                if (singleObject) {
                    single.add(sample);
                }
            }
            if (q.type() != QuestionType.DIRECTION) {
                int frame = images.size() % ShapesFrames.FRAMES;
                images.add(new TrainingSample(clip.frame(frame, frameFloats), q.question(), q.answer(), null,
                        QuestionSubject.targets(subject, new int[] {sampled[frame]})));
            }
        }
        for (VideoCaption c : data.captions()) {
            TrainingSample sample = new TrainingSample(clips.get(c.video()), CAPTION_PROMPT, c.caption(),
                    labels.get(c.video()), captionSubjects && scenes != null
                            ? CaptionSubjects.of(scenes.get(c.video()), sampled) : List.of());
            for (int r = 0; r < captionRepeats; r++) {
                out.add(sample);
                if (singleObjectVideos.contains(c.video())) {
                    single.add(sample);
                }
            }
        }
        Random order = new Random(seed);
        Collections.shuffle(out, order);
        Collections.shuffle(single, order);
        Collections.shuffle(images, order);
        return new Samples(out, single, images);
    }
}

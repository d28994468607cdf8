package io.streamvl.shapes.train;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.ingest.VideoDecodeException;
import io.streamvl.models.llama.GenerationConfig;
import io.streamvl.models.llavamini.EncodedFrame;
import io.streamvl.models.llavamini.LlavaMiniModel;
import io.streamvl.models.tsllava.RgbImage;
import io.streamvl.models.tsllava.TsLlavaModel;
import io.streamvl.shapes.CaptionWriter;
import io.streamvl.shapes.QuestionType;
import io.streamvl.shapes.ShapesDataset;
import io.streamvl.shapes.VideoQuestion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A model's accuracy on a shapes-world directory, in one {@link EvaluationMode}: only the decoded pixels (through
 * {@link ShapesFrames}) and the question text go in; each greedy answer is scored by {@link VideoQuestion#isCorrect},
 * each caption (asked with {@link ShapesTraining#CAPTION_PROMPT}) by exact match of its clauses, in any order
 * ({@link CaptionWriter#sameClauses}).
 *
 * @param mode how the model was asked
 * @param correct right answers per question type
 * @param asked questions per question type
 */
public record ShapesEvaluation(EvaluationMode mode, Map<QuestionType, Integer> correct,
        Map<QuestionType, Integer> asked, int captionsExact, int captions, int videos) {
    /** Longest shapes answer is 4 words ("it does not move"); the stop token ends it sooner. */
    static final int MAX_ANSWER_TOKENS = 8;
    /** Three clauses of at most five words joined by two "and"s. */
    static final int MAX_CAPTION_TOKENS = 24;

    /** A log for the runs that only want the scores. */
    public static final Consumer<ScoredAnswer> IGNORE = answer -> {};

    public ShapesEvaluation {
        correct = Map.copyOf(correct);
        asked = Map.copyOf(asked);
    }

    /** LLaVA-Mini mode: the first {@link ShapesFrames#FRAMES} frames at 1 fps, encoded once per video. */
    public static ShapesEvaluation run(LlavaMiniModel model, Path videosDir) throws IOException, VideoDecodeException {
        return run(model, videosDir, IGNORE);
    }

    /** As {@link #run(LlavaMiniModel, Path)}, handing every scored answer and caption to {@code log} as it comes. */
    public static ShapesEvaluation run(LlavaMiniModel model, Path videosDir, Consumer<ScoredAnswer> log)
            throws IOException, VideoDecodeException {
        try (ShapesFrames frames = new ShapesFrames(model.inputSize())) {
            return run(EvaluationMode.LLAVA_MINI, videosDir, log, video -> {
                List<EncodedFrame> encoded = model.encode(frames.decode(video), ShapesFrames.FRAMES);
                return (question, maxTokens) -> model.answer(encoded, question, GenerationConfig.greedy(maxTokens))
                        .text();
            });
        }
    }

    /**
     * TS-LLaVA mode: every frame of the video, of which the model takes the frames its settings ask for; the visual
     * tokens do not depend on the question, so they are computed once per video.
     */
    public static ShapesEvaluation run(TsLlavaModel model, Path videosDir) throws IOException, VideoDecodeException {
        return run(model, videosDir, IGNORE);
    }

    /** As {@link #run(TsLlavaModel, Path)}, handing every scored answer and caption to {@code log} as it comes. */
    public static ShapesEvaluation run(TsLlavaModel model, Path videosDir, Consumer<ScoredAnswer> log)
            throws IOException, VideoDecodeException {
        try (ShapesFrames frames = new ShapesFrames(model.config().imageHeight())) {
            return run(EvaluationMode.TS_LLAVA, videosDir, log, video -> {
                float[][] visual = model.visualTokens(frames.everyFrame(video));
                return (question, maxTokens) -> model.answer(visual, question, GenerationConfig.greedy(maxTokens))
                        .text();
            });
        }
    }

    /** Image mode ({@link EvaluationMode#IMAGE}): the plain image path over the middle of every frame of the video. */
    public static ShapesEvaluation runImagePath(TsLlavaModel model, Path videosDir)
            throws IOException, VideoDecodeException {
        return runImagePath(model, videosDir, IGNORE);
    }

    /** As {@link #runImagePath(TsLlavaModel, Path)}, handing every scored answer and caption to {@code log}. */
    public static ShapesEvaluation runImagePath(TsLlavaModel model, Path videosDir, Consumer<ScoredAnswer> log)
            throws IOException, VideoDecodeException {
        try (ShapesFrames frames = new ShapesFrames(model.config().imageHeight())) {
            return run(EvaluationMode.IMAGE, videosDir, log, video -> {
                List<RgbImage> all = frames.everyFrame(video);
                float[][] tokens = model.imageTokenRows(all.get(all.size() / 2));
                return (question, maxTokens) -> model.answer(tokens, question, GenerationConfig.greedy(maxTokens))
                        .text();
            });
        }
    }

    /** A mode's view of one video: decoded and encoded once, then asked any number of questions. */
    @FunctionalInterface
    private interface Watcher {
        Answerer watch(Path video) throws VideoDecodeException;
    }

    @FunctionalInterface
    private interface Answerer {
        /** The greedy answer of at most {@code maxTokens} tokens. */
        String answer(String question, int maxTokens);
    }

    private static ShapesEvaluation run(EvaluationMode mode, Path videosDir, Consumer<ScoredAnswer> log,
            Watcher watcher)
            throws IOException, VideoDecodeException {
        ShapesDataset data = ShapesDataset.read(videosDir);
        Map<QuestionType, Integer> correct = new EnumMap<>(QuestionType.class);
        Map<QuestionType, Integer> asked = new EnumMap<>(QuestionType.class);
        for (QuestionType t : QuestionType.values()) {
            correct.put(t, 0);
            asked.put(t, 0);
        }
        Map<String, String> captionOf = new HashMap<>();
        data.captions().forEach(c -> captionOf.put(c.video(), c.caption()));
        int captionsExact = 0;
        for (String video : data.videos()) {
            Answerer model = watcher.watch(data.videoPath(video));
            for (VideoQuestion q : data.questionsAbout(video)) {
                String answer = model.answer(q.question(), MAX_ANSWER_TOKENS);
                boolean right = q.isCorrect(answer);
                asked.merge(q.type(), 1, Integer::sum);
                if (right) {
                    correct.merge(q.type(), 1, Integer::sum);
                }
                log.accept(new ScoredAnswer(video, q.type().label(), q.question(), q.answer(), answer, right));
            }
            String expected = captionOf.get(video);
            if (expected != null) {
                String caption = model.answer(ShapesTraining.CAPTION_PROMPT, MAX_CAPTION_TOKENS);
                boolean right = CaptionWriter.sameClauses(expected, caption);
                if (right) {
                    captionsExact++;
                }
                log.accept(new ScoredAnswer(video, ScoredAnswer.CAPTION, ShapesTraining.CAPTION_PROMPT, expected,
                        caption, right));
            }
        }
        return new ShapesEvaluation(mode, correct, asked, captionsExact, data.captions().size(), data.videos().size());
    }

    public int questions() {
        return asked.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Fraction of all questions answered right; NaN when there were none. */
    public double overall() {
        return (double) correct.values().stream().mapToInt(Integer::intValue).sum() / questions();
    }

    /** NaN when no question of the type was asked. */
    public double accuracy(QuestionType type) {
        return (double) correct.get(type) / asked.get(type);
    }

    /** NaN when the directory has no captions. */
    public double captionAccuracy() {
        return (double) captionsExact / captions;
    }

    /** The mode, fractions in [0, 1] ({@code null} where there was nothing to score), and the counts behind them. */
    public ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("mode", mode.label());
        putFraction(root, "overall", overall());
        ObjectNode perType = root.putObject("per_type");
        for (QuestionType t : QuestionType.values()) {
            putFraction(perType, t.label(), accuracy(t));
        }
        putFraction(root, "captions_exact", captionAccuracy());
        root.put("videos", videos);
        root.put("questions", questions());
        root.put("captions", captions);
        ObjectNode asked = root.putObject("questions_per_type");
        for (QuestionType t : QuestionType.values()) {
            asked.put(t.label(), this.asked.get(t));
        }
        return root;
    }

    private static void putFraction(ObjectNode node, String key, double value) {
        if (Double.isNaN(value)) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }
}

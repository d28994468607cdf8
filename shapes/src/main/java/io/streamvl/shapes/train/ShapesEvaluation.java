package io.streamvl.shapes.train;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.ingest.VideoDecodeException;
import io.streamvl.models.llama.GenerationConfig;
import io.streamvl.models.llavamini.EncodedFrame;
import io.streamvl.models.llavamini.LlavaMiniModel;
import io.streamvl.shapes.QuestionType;
import io.streamvl.shapes.ShapesDataset;
import io.streamvl.shapes.VideoQuestion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A LLaVA-Mini model's accuracy on a shapes-world directory: only the decoded pixels ({@link ShapesFrames}) and
 * the question text go in; each greedy answer is scored by {@link VideoQuestion#isCorrect}, each caption (asked
 * with {@link ShapesTraining#CAPTION_PROMPT}) by exact match.
 *
 * @param correct right answers per question type
 * @param asked questions per question type
 */
public record ShapesEvaluation(Map<QuestionType, Integer> correct, Map<QuestionType, Integer> asked,
        int captionsExact, int captions, int videos) {
    /** Longest shapes answer is 4 words ("it does not move"); the stop token ends it sooner. */
    static final int MAX_ANSWER_TOKENS = 8;
    /** Three clauses of at most five words joined by two "and"s. */
    static final int MAX_CAPTION_TOKENS = 24;

    public ShapesEvaluation {
        correct = Map.copyOf(correct);
        asked = Map.copyOf(asked);
    }

    public static ShapesEvaluation run(LlavaMiniModel model, Path videosDir) throws IOException, VideoDecodeException {
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
        try (ShapesFrames frames = new ShapesFrames(model.inputSize())) {
            for (String video : data.videos()) {
                List<EncodedFrame> encoded = model.encode(frames.decode(data.videoPath(video)), ShapesFrames.FRAMES);
                for (VideoQuestion q : data.questionsAbout(video)) {
                    String answer = model.answer(encoded, q.question(), GenerationConfig.greedy(MAX_ANSWER_TOKENS)).text();
                    asked.merge(q.type(), 1, Integer::sum);
                    if (q.isCorrect(answer)) {
                        correct.merge(q.type(), 1, Integer::sum);
                    }
                }
                String expected = captionOf.get(video);
                if (expected != null && model.answer(encoded, ShapesTraining.CAPTION_PROMPT,
                        GenerationConfig.greedy(MAX_CAPTION_TOKENS)).text().trim().equals(expected)) {
                    captionsExact++;
                }
            }
        }
        return new ShapesEvaluation(correct, asked, captionsExact, data.captions().size(), data.videos().size());
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

    /** Fractions in [0, 1] ({@code null} where there was nothing to score), and the counts behind them. */
    public ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
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

package io.streamvl.shapes.train;

import io.streamvl.models.text.WordLevelTokenizerWriter;
import io.streamvl.models.train.TrainingSample;
import io.streamvl.shapes.CaptionWriter;
import io.streamvl.shapes.Direction;
import io.streamvl.shapes.Scene;
import io.streamvl.shapes.SceneObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The binding targets of a caption: each clause's object, read where the LLM predicts the clause's verb ("a red circle
 * |moves| left"), after it has named the object and before it says how it moves, which is where a caption needs the
 * object's place in every frame. With them the binding loss covers captions, which name every object, as it covers
 * the questions that name one ({@link QuestionSubject}).
 */
final class CaptionSubjects {
    private static final Set<String> VERBS = Arrays.stream(Direction.values())
            .map(d -> d.captionPhrase().split(" ")[0])
            .collect(Collectors.toUnmodifiableSet());

    private CaptionSubjects() {}

    /**
     * @param frames scene frame indices of the sampled frames
     * @return one subject per clause of the scene's caption, at its verb's answer token (the word-level tokenizer's
     *     one token per word)
     */
    static List<TrainingSample.Subject> of(Scene scene, int[] frames) {
        List<SceneObject> objects = CaptionWriter.clauseOrder(scene);
        List<String> words = WordLevelTokenizerWriter.words(CaptionWriter.caption(scene));
        List<TrainingSample.Subject> out = new ArrayList<>();
        for (int w = 0; w < words.size(); w++) {
            if (VERBS.contains(words.get(w)) && out.size() < objects.size()) {
                out.add(new TrainingSample.Subject(w, QuestionSubject.places(objects.get(out.size()), frames)));
            }
        }
        if (out.size() != objects.size()) {
            throw new IllegalStateException("caption '" + CaptionWriter.caption(scene) + "' has " + out.size()
                    + " clause verbs for " + objects.size() + " objects");
        }
        return out;
    }
}

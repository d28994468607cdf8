package io.streamvl.shapes.train;

import static io.streamvl.shapes.ShapesWorld.HEIGHT;
import static io.streamvl.shapes.ShapesWorld.WIDTH;

import io.streamvl.models.train.TrainingSample;
import io.streamvl.shapes.Box;
import io.streamvl.shapes.Scene;
import io.streamvl.shapes.SceneObject;
import io.streamvl.shapes.ShapeColor;
import io.streamvl.shapes.ShapeKind;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The one object a question names, and where it is in each sampled frame: the target of the training-only binding
 * loss. A question names an object by its colour, its shape or both ("What color is the circle?", "Which way does the
 * red circle move?"); it names none when it gives neither (a count, a caption) or when no object of the scene fits (a
 * "no" to presence).
 */
final class QuestionSubject {
    private QuestionSubject() {}

    static Optional<SceneObject> of(Scene scene, String question) {
        Set<String> words = Set.of(question.toLowerCase(Locale.ROOT).split("[^a-z]+"));
        ShapeColor color = mentioned(ShapeColor.values(), words, ShapeColor::word);
        ShapeKind shape = mentioned(ShapeKind.values(), words, ShapeKind::word);
        if (color == null && shape == null) {
            return Optional.empty();
        }
        List<SceneObject> fitting = scene.objects().stream()
                .filter(o -> (color == null || o.color() == color) && (shape == null || o.shape() == shape))
                .toList();
        return fitting.size() == 1 ? Optional.of(fitting.get(0)) : Optional.empty();
    }

    /** The binding target of a question about {@code subject}, if any: read where the answer starts (token 0). */
    static List<TrainingSample.Subject> targets(Optional<SceneObject> subject, int[] frames) {
        return subject.map(o -> List.of(new TrainingSample.Subject(0, places(o, frames)))).orElse(List.of());
    }

    /**
     * @param frames scene frame indices of the sampled frames
     * @return the object's centre in each frame, x then y, from -1 (left, top) to 1 (right, bottom)
     */
    static float[] places(SceneObject o, int[] frames) {
        float[] out = new float[frames.length * 2];
        for (int f = 0; f < frames.length; f++) {
            Box b = o.boxAt(frames[f]);
            out[2 * f] = (float) (2 * (b.left() + b.size() / 2.0) / WIDTH - 1);
            out[2 * f + 1] = (float) (2 * (b.top() + b.size() / 2.0) / HEIGHT - 1);
        }
        return out;
    }

    private static <T> T mentioned(T[] values, Set<String> words, Function<T, String> word) {
        for (T v : values) {
            if (words.contains(word.apply(v))) {
                return v;
            }
        }
        return null;
    }
}

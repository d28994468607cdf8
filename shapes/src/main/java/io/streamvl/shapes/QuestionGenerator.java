package io.streamvl.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Every applicable question about a scene, in this order:
 * <ol>
 *   <li>{@code What color is the {shape}?} for each object whose shape no other object has;</li>
 *   <li>{@code What shape is the {color} object?} for each object whose colour no other object has;</li>
 *   <li>{@code How many objects are there?} once;</li>
 *   <li>{@code Which way does the {color} {shape} move?} for each object;</li>
 *   <li>{@code Is there a {color} {shape}?}: "yes" for each object, then "no" for as many
 *       colour-shape pairs absent from the scene, drawn without replacement.</li>
 * </ol>
 * Within each group objects come in scene order. One, two and three objects give 6, 9 to 11 and
 * 12 to 16 questions (at most 1 + 5n: every shape and colour unique); presence answers are
 * balanced, half yes and half no.
 */
public final class QuestionGenerator {
    private QuestionGenerator() {}

    /** {@code random} only chooses the absent pairs of the negative presence questions. */
    public static List<Question> generate(Scene scene, SplittableRandom random) {
        List<SceneObject> objects = scene.objects();
        List<Question> out = new ArrayList<>();
        for (SceneObject o : objects) {
            if (scene.countShape(o.shape()) == 1) {
                out.add(new Question("What color is the " + o.shape().word() + "?", o.color().word(),
                        QuestionType.COLOR));
            }
        }
        for (SceneObject o : objects) {
            if (scene.countColor(o.color()) == 1) {
                out.add(new Question("What shape is the " + o.color().word() + " object?", o.shape().word(),
                        QuestionType.SHAPE));
            }
        }
        out.add(new Question("How many objects are there?", QuestionType.COUNT.candidates().get(objects.size() - 1), QuestionType.COUNT));
        for (SceneObject o : objects) {
            out.add(new Question("Which way does the " + o.name() + " move?", o.direction().answer(),
                    QuestionType.DIRECTION));
        }
        for (SceneObject o : objects) {
            out.add(presence(o.color(), o.shape(), true));
        }
        List<Pair> absent = absentPairs(scene);
        for (int i = 0; i < objects.size(); i++) {
            Pair pair = absent.remove(random.nextInt(absent.size()));
            out.add(presence(pair.color(), pair.shape(), false));
        }
        return out;
    }

    private static Question presence(ShapeColor color, ShapeKind shape, boolean present) {
        return new Question("Is there a " + color.word() + " " + shape.word() + "?", present ? "yes" : "no",
                QuestionType.PRESENCE);
    }

    /** Colour-shape pairs not in the scene, in shape-then-colour order. */
    private static List<Pair> absentPairs(Scene scene) {
        List<Pair> absent = new ArrayList<>();
        for (ShapeKind shape : ShapeKind.values()) {
            for (ShapeColor color : ShapeColor.values()) {
                if (!scene.contains(color, shape)) {
                    absent.add(new Pair(color, shape));
                }
            }
        }
        return absent;
    }

    private record Pair(ShapeColor color, ShapeKind shape) {}
}

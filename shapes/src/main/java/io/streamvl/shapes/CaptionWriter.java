package io.streamvl.shapes;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The caption of a scene: one clause per object, "a {color} {shape} moves {direction}" or "a {color} {shape} stays
 * still", joined with " and ", lower case, no full stop.
 *
 * <p>The spec fixes the clauses but not their order, and the scene's order (the drawing order) cannot be seen in
 * the pixels. So this writer orders clauses by colour, then shape (the enums' order), which a model can learn, and
 * {@link #sameClauses} scores a caption from any writer of the spec regardless of order.
 */
public final class CaptionWriter {
    /** Between the objects' clauses. */
    public static final String JOINER = " and ";

    private static final Comparator<SceneObject> CANONICAL =
            Comparator.comparing(SceneObject::color).thenComparing(SceneObject::shape);

    private CaptionWriter() {}

    public static String caption(Scene scene) {
        return clauseOrder(scene).stream()
                .map(o -> "a " + o.name() + " " + o.direction().captionPhrase())
                .collect(Collectors.joining(JOINER));
    }

    /** The scene's objects in the order of their clauses in {@link #caption}. */
    public static List<SceneObject> clauseOrder(Scene scene) {
        return scene.objects().stream().sorted(CANONICAL).toList();
    }

    /** Whether two captions have the same clauses, in any order (whitespace at either end and case ignored). */
    public static boolean sameClauses(String expected, String actual) {
        return clauses(expected).equals(clauses(actual));
    }

    private static List<String> clauses(String caption) {
        return Arrays.stream(caption.trim().toLowerCase(Locale.ROOT).split(JOINER))
                .map(String::trim)
                .sorted()
                .toList();
    }
}

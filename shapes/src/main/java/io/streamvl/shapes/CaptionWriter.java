package io.streamvl.shapes;

import java.util.stream.Collectors;

/**
 * The caption of a scene: one clause per object in scene order, "a {color} {shape} moves
 * {direction}" or "a {color} {shape} stays still", joined with " and ", lower case, no full stop.
 */
public final class CaptionWriter {
    /** Between the objects' clauses. */
    public static final String JOINER = " and ";

    private CaptionWriter() {}

    public static String caption(Scene scene) {
        return scene.objects().stream()
                .map(o -> "a " + o.name() + " " + o.direction().captionPhrase())
                .collect(Collectors.joining(JOINER));
    }
}

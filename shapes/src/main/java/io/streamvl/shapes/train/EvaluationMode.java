package io.streamvl.shapes.train;

import java.util.Arrays;
import java.util.Locale;

/** How the shapes model is asked about a video; {@link #label()} is the name on the command line and in JSON. */
public enum EvaluationMode {
    /** LLaVA-Mini's video path: compressed, pre-fused tokens of {@link ShapesFrames#FRAMES} frames at 1 fps. */
    LLAVA_MINI,
    /** TS-LLaVA, training-free over the bundle's plain image path: sampled tokens of many frames and a thumbnail. */
    TS_LLAVA,
    /**
     * The bundle's plain image path alone (LLaVA-1.5's layout) over the video's middle frame: the image model TS-LLaVA
     * runs on, on the input it was trained on, to tell its own reading from what TS-LLaVA's token assembly costs.
     * Direction cannot be read from one frame.
     */
    IMAGE;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @throws IllegalArgumentException naming the labels when {@code label} is none of them */
    public static EvaluationMode fromLabel(String label) {
        return Arrays.stream(values()).filter(m -> m.label().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("expected one of "
                        + Arrays.stream(values()).map(EvaluationMode::label).toList() + ", got '" + label + "'"));
    }

    @Override
    public String toString() {
        return label();
    }
}

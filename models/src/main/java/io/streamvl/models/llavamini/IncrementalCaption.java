package io.streamvl.models.llavamini;

import java.util.ArrayList;
import java.util.List;

/**
 * LLaVA-Mini over a stream for one prompt fixed in advance (a caption prompt, a standing question): each
 * frame's fused text T' for the prompt, computed once as the frame arrives ({@link LlavaMiniModel#encode(float[],
 * int, String)}, {@link LlavaMiniModel#fusedTexts}), goes into a running sum and only the frame's Z' is kept
 * ({@link State#plus}, no model needed, a state to checkpoint as it is). {@link #input} over a state is what
 * {@link LlavaMiniModel#input} gives for the same frames in the same order. Open with
 * {@link LlavaMiniModel#incrementalCaption(String, State)}.
 */
public final class IncrementalCaption {
    /** The running text sum and every frame's Z' ({@code [C²][D]}), in arrival order. */
    public record State(RunningTextFusion.State text, List<float[][]> fused) {
        public State {
            fused = List.copyOf(fused);
            if (fused.size() != text.frames()) {
                throw new IllegalArgumentException(fused.size() + " frames' Z' for a text sum of " + text.frames()
                        + " frames");
            }
        }

        /**
         * The state after a frame whose fused text T' for the caption's prompt was computed with it
         * ({@link PromptedFrame}), next in temporal order: no model needed.
         *
         * @param before the state so far; null for the first frame
         */
        public static State plus(State before, EncodedFrame frame, float[][] fusedText) {
            RunningTextFusion mean = before == null ? new RunningTextFusion(fusedText.length, frame.width())
                    : new RunningTextFusion(before.text());
            mean.add(fusedText);
            List<float[][]> fused = new ArrayList<>(before == null ? List.of() : before.fused());
            fused.add(frame.fused());
            return new State(mean.state(), fused);
        }
    }

    private final FusionText text;
    private final State state;

    IncrementalCaption(FusionText text, State state) {
        this.text = text;
        this.state = state;
    }

    /**
     * The LLM's input embeddings for the frames so far, {@code [L - 1 + N·C²][D]}: what {@link LlavaMiniModel#answer}
     * generates from for the same frames, for callers that batch generations themselves.
     *
     * @throws IllegalStateException before the first frame
     */
    public float[][] input() {
        if (state.fused().isEmpty()) {
            throw new IllegalStateException("no frames added");
        }
        return LlavaMiniInput.assemble(new RunningTextFusion(state.text()).mean(), text.placeholder(), state.fused());
    }
}

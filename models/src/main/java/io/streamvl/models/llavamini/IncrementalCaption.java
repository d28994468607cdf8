package io.streamvl.models.llavamini;

import io.streamvl.models.LanguageModel.Answer;
import io.streamvl.models.LanguageModel.TextListener;
import io.streamvl.models.llama.GenerationConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * LLaVA-Mini over a stream for one prompt fixed in advance (a caption prompt, a standing question): each
 * frame is fused with the prompt once, as it arrives, into a running mean of T', and only its Z' is kept.
 * {@link #caption} gives what {@link LlavaMiniModel#answer} gives for the same frames in the same order.
 * Checkpoint with {@link #state()}, restore with {@link LlavaMiniModel#incrementalCaption(String, State)}.
 * Not thread-safe; uses its model, so it must not outlive it.
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

    private final LlavaMiniModel model;
    private final FusionText text;
    private final RunningTextFusion mean;
    private final List<float[][]> fused;

    IncrementalCaption(LlavaMiniModel model, FusionText text, RunningTextFusion mean, List<float[][]> fused) {
        this.model = model;
        this.text = text;
        this.mean = mean;
        this.fused = new ArrayList<>(fused);
    }

    public void add(EncodedFrame frame) {
        add(List.of(frame));
    }

    /** Adds frames in temporal order. */
    public void add(List<EncodedFrame> frames) {
        List<float[][]> texts = model.fuseText(frames, text);
        for (int f = 0; f < frames.size(); f++) {
            mean.add(texts.get(f));
            fused.add(frames.get(f).fused());
        }
    }

    public long frames() {
        return mean.frames();
    }

    /** @throws IllegalStateException before the first frame */
    public Answer caption(GenerationConfig config, TextListener listener) {
        return model.language().generate(input(), config, listener);
    }

    /**
     * The LLM's input embeddings for the frames so far, {@code [L - 1 + N·C²][D]}: what {@link #caption}
     * generates from, for callers that batch generations themselves.
     *
     * @throws IllegalStateException before the first frame
     */
    public float[][] input() {
        if (fused.isEmpty()) {
            throw new IllegalStateException("no frames added");
        }
        return LlavaMiniInput.assemble(mean.mean(), text.placeholder(), fused);
    }

    public Answer caption(GenerationConfig config) {
        return caption(config, null);
    }

    public State state() {
        return new State(mean.state(), fused);
    }
}

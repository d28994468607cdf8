package io.streamvl.models.train;

/**
 * The training-only binding losses ({@link BindingHead}): from the LLM's hidden state at the column that predicts the
 * answer, after {@code layer} layers, a linear head regresses the place of the object the question names
 * ({@link TrainingSample#subjects()}). The LLM has to find that object among the visual tokens by itself: the
 * binding a direction answer needs frame by frame, and an image answer needs among one frame's patch tokens, which the
 * answer tokens alone teach too weakly.
 *
 * @param videoWeight the loss's weight next to the answer loss on the video path (the object's place in every frame
 *     of the clip, read among the frames' Z' tokens); 0 without it
 * @param imageWeight the same on the plain image path (its place in the one frame, read among the frame's projected
 *     patch tokens, what TS-LLaVA runs on); 0 without it
 * @param layer how many LLM layers the heads read after (from 1 to the LLM's depth)
 */
public record BindingLoss(float videoWeight, float imageWeight, int layer) {
    public static final BindingLoss NONE = new BindingLoss(0f, 0f, 1);

    public BindingLoss {
        if (!(videoWeight >= 0) || !(imageWeight >= 0) || layer < 1) {
            throw new IllegalArgumentException("binding weights must not be negative and the layer at least 1, got "
                    + videoWeight + ", " + imageWeight + " at " + layer);
        }
    }

    boolean onVideos() {
        return videoWeight > 0;
    }

    boolean onImages() {
        return imageWeight > 0;
    }
}

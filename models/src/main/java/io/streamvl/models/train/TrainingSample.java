package io.streamvl.models.train;

import java.util.List;
import java.util.Objects;

/**
 * One supervised example: a clip, a question about it and the answer the model should give.
 *
 * @param pixels the trainer's N frames (one for a single-frame sample of the image path), normalised NHWC
 *     {@code [N, imageSize, imageSize, 3]} row-major
 * @param patchLabels for the auxiliary patch loss ({@link TrainerOptions#auxiliaryClasses()}): a class per vision
 *     patch of every frame, {@code [N][patches]} row-major; null without it
 * @param subjects for the binding loss ({@link BindingLoss}): the objects the answer speaks of, each where the LLM
 *     should know its place; empty when it names none that is there (a count, a "no" to presence)
 */
public record TrainingSample(SamplePixels pixels, String question, String answer, int[] patchLabels,
        List<Subject> subjects) {

    /**
     * An object the LLM should have found when it predicts answer token {@code answerToken} (0, the first, for a
     * question that names it; a caption clause's verb for the object that clause describes).
     *
     * @param places its centre in every frame, x then y, each from -1 (left, top) to 1, {@code [N][2]}
     */
    public record Subject(int answerToken, float[] places) {
        public Subject {
            if (answerToken < 0) {
                throw new IllegalArgumentException("answer token must not be negative, got " + answerToken);
            }
        }
    }

    public TrainingSample {
        Objects.requireNonNull(pixels, "pixels");
        subjects = List.copyOf(subjects);
    }

    public TrainingSample(float[] frames, String question, String answer, int[] patchLabels, List<Subject> subjects) {
        this(SamplePixels.of(frames), question, answer, patchLabels, subjects);
    }

    public TrainingSample(float[] frames, String question, String answer) {
        this(frames, question, answer, null, List.of());
    }

    public TrainingSample(float[] frames, String question, String answer, int[] patchLabels) {
        this(frames, question, answer, patchLabels, List.of());
    }

    /** The frames' floats, materialised. */
    public float[] frames() {
        return pixels.toArray();
    }
}

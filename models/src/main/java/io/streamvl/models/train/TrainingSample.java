package io.streamvl.models.train;

import java.util.List;

/**
 * One supervised example: a clip, a question about it and the answer the model should give.
 *
 * @param frames the trainer's N frames, normalised NHWC {@code [N, imageSize, imageSize, 3]} row-major
 * @param patchLabels for the auxiliary patch loss ({@link TrainerOptions#auxiliaryClasses()}): a class per vision
 *     patch of every frame, {@code [N][patches]} row-major; null without it
 * @param subjects for the binding loss ({@link BindingLoss}): the objects the answer speaks of, each where the LLM
 *     should know its place; empty when it names none that is there (a count, a "no" to presence)
 * @param onlyFrame {@link #WHOLE}, or for a single-frame sample of the image path the index of its frame in
 *     {@code frames}, so that the samples of a clip's frames share the clip's pixels instead of each holding a copy
 */
public record TrainingSample(float[] frames, String question, String answer, int[] patchLabels,
        List<Subject> subjects, int onlyFrame) {
    /** {@link #onlyFrame} of a sample that is all of {@link #frames}. */
    public static final int WHOLE = -1;

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
        subjects = List.copyOf(subjects);
        if (onlyFrame < WHOLE) {
            throw new IllegalArgumentException("frame index must not be negative, got " + onlyFrame);
        }
    }

    public TrainingSample(float[] frames, String question, String answer, int[] patchLabels, List<Subject> subjects) {
        this(frames, question, answer, patchLabels, subjects, WHOLE);
    }

    /** A single-frame sample over frame {@code frame} of {@code clip}, which it shares. */
    public static TrainingSample frameOf(float[] clip, int frame, String question, String answer,
            List<Subject> subjects) {
        return new TrainingSample(clip, question, answer, null, subjects, frame);
    }

    public TrainingSample(float[] frames, String question, String answer) {
        this(frames, question, answer, null, List.of());
    }

    public TrainingSample(float[] frames, String question, String answer, int[] patchLabels) {
        this(frames, question, answer, patchLabels, List.of());
    }
}

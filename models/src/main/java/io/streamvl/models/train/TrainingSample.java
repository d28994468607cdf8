package io.streamvl.models.train;

/**
 * One supervised example: a clip, a question about it and the answer the model should give.
 *
 * @param frames the trainer's N frames, normalised NHWC {@code [N, imageSize, imageSize, 3]} row-major
 * @param patchLabels for the auxiliary patch loss ({@link TrainerOptions#auxiliaryClasses()}): a class per vision
 *     patch of every frame, {@code [N][patches]} row-major; null without it
 */
public record TrainingSample(float[] frames, String question, String answer, int[] patchLabels) {
    public TrainingSample(float[] frames, String question, String answer) {
        this(frames, question, answer, null);
    }
}

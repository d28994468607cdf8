package io.streamvl.models.train;

/**
 * One supervised example: a clip, a question about it and the answer the model should give.
 *
 * @param frames the trainer's N frames, normalised NHWC {@code [N, imageSize, imageSize, 3]} row-major
 * @param patchLabels for the auxiliary patch loss ({@link TrainerOptions#auxiliaryClasses()}): a class per vision
 *     patch of every frame, {@code [N][patches]} row-major; null without it
 * @param subjectPlaces for the binding loss ({@link TrainerOptions#bindingWeight()}): the centre of the one object the
 *     question names in every frame, x then y, each from -1 (left, top) to 1, {@code [N][2]}; null when the question
 *     names no single object that is there (a count, a caption, a "no" to presence)
 */
public record TrainingSample(float[] frames, String question, String answer, int[] patchLabels,
        float[] subjectPlaces) {
    public TrainingSample(float[] frames, String question, String answer) {
        this(frames, question, answer, null, null);
    }

    public TrainingSample(float[] frames, String question, String answer, int[] patchLabels) {
        this(frames, question, answer, patchLabels, null);
    }
}

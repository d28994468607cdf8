package io.streamvl.models.train;

/**
 * One supervised example: a clip, a question about it and the answer the model should give.
 *
 * @param frames the trainer's N frames, normalised NHWC {@code [N, imageSize, imageSize, 3]} row-major
 */
public record TrainingSample(float[] frames, String question, String answer) {}

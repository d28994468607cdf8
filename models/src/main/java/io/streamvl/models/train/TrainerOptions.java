package io.streamvl.models.train;

import io.streamvl.models.TfSessions;

/**
 * How a {@link LlavaMiniTrainer} runs.
 *
 * @param frames N, the frames of every sample (LLaVA-Mini trains on 8)
 * @param learningRate Adam's step size
 * @param clipNorm gradients are scaled down to at most this global norm before each Adam step
 * @param auxiliaryClasses with a value above 0, a linear head on the tower's features classifies every patch into
 *     this many classes against {@link TrainingSample#patchLabels()}, a training-only loss (the head is not exported)
 * @param auxiliaryWeight the patch loss's weight next to the answer loss
 * @param device "cpu" or "gpu" (first GPU)
 * @param intraOpThreads 0 lets TF pick
 * @param interOpThreads 0 lets TF pick
 */
public record TrainerOptions(int frames, float learningRate, float clipNorm, int auxiliaryClasses,
        float auxiliaryWeight, String device, int intraOpThreads, int interOpThreads) {
    public static final float DEFAULT_CLIP_NORM = 1.0f;

    public TrainerOptions {
        TfSessions.checkDevice(device);
        if (frames < 1 || !(learningRate > 0) || !(clipNorm > 0) || auxiliaryClasses < 0 || auxiliaryClasses == 1
                || !(auxiliaryWeight >= 0) || intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("invalid trainer options frames=" + frames + " learningRate="
                    + learningRate + " clipNorm=" + clipNorm + " auxiliary=" + auxiliaryClasses + "x" + auxiliaryWeight
                    + " threads=" + intraOpThreads + "/" + interOpThreads);
        }
    }

    public static TrainerOptions of(int frames, float learningRate) {
        return new TrainerOptions(frames, learningRate, DEFAULT_CLIP_NORM, 0, 0f, "cpu", 0, 0);
    }

    public TrainerOptions withThreads(int intra, int inter) {
        return new TrainerOptions(frames, learningRate, clipNorm, auxiliaryClasses, auxiliaryWeight, device, intra,
                inter);
    }

    public TrainerOptions withDevice(String d) {
        return new TrainerOptions(frames, learningRate, clipNorm, auxiliaryClasses, auxiliaryWeight, d, intraOpThreads,
                interOpThreads);
    }

    public TrainerOptions withClipNorm(float norm) {
        return new TrainerOptions(frames, learningRate, norm, auxiliaryClasses, auxiliaryWeight, device, intraOpThreads,
                interOpThreads);
    }

    public TrainerOptions withPatchLoss(int classes, float weight) {
        return new TrainerOptions(frames, learningRate, clipNorm, classes, weight, device, intraOpThreads,
                interOpThreads);
    }
}

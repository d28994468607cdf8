package io.streamvl.models.train;

import io.streamvl.models.TfSessions;

/**
 * How a {@link LlavaMiniTrainer} runs.
 *
 * @param frames N, the frames of every sample (LLaVA-Mini trains on 8)
 * @param schedule Adam's step size per step
 * @param clipNorm gradients are scaled down to at most this global norm before each Adam step
 * @param auxiliaryClasses with a value above 0, a linear head on the tower's features classifies every patch into
 *     this many classes against {@link TrainingSample#patchLabels()}, a training-only loss (the head is not exported)
 * @param auxiliaryWeight the patch loss's weight next to the answer loss
 * @param imageWeight with a value above 0, every step also trains the plain image path (LLaVA-1.5's layout: the
 *     projected patch tokens of one frame straight into the LLM, what TS-LLaVA runs on) on the batch's single-frame
 *     samples, with this weight next to the video answer loss
 * @param anyResImages whether the image path sees each single-frame sample as LLaVA-NeXT's AnyRes views
 *     ({@link AnyResViews}: the whole frame and 2×2 tiles, 5 frames' tokens) instead of the frame alone
 * @param freezeTower whether the vision tower keeps the bundle's weights (LLaVA's recipe for a pre-trained tower:
 *     its gradients are neither taken nor applied, which also makes a step cheaper)
 * @param binding the training-only binding losses, {@link BindingLoss#NONE} without them
 * @param device "cpu" or "gpu" (first GPU)
 * @param intraOpThreads 0 lets TF pick
 * @param interOpThreads 0 lets TF pick
 */
public record TrainerOptions(int frames, LearningRateSchedule schedule, float clipNorm, int auxiliaryClasses,
        float auxiliaryWeight, float imageWeight, boolean anyResImages, boolean freezeTower, BindingLoss binding,
        String device, int intraOpThreads, int interOpThreads) {
    public static final float DEFAULT_CLIP_NORM = 1.0f;

    public TrainerOptions {
        TfSessions.checkDevice(device);
        if (frames < 1 || schedule == null || !(clipNorm > 0) || auxiliaryClasses < 0 || auxiliaryClasses == 1
                || !(auxiliaryWeight >= 0) || !(imageWeight >= 0) || binding == null
                || intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("invalid trainer options frames=" + frames + " schedule="
                    + schedule + " clipNorm=" + clipNorm + " auxiliary=" + auxiliaryClasses + "x" + auxiliaryWeight
                    + " image=" + imageWeight + " binding=" + binding + " threads=" + intraOpThreads + "/" + interOpThreads);
        }
    }

    public static TrainerOptions of(int frames, float learningRate) {
        return new TrainerOptions(frames, LearningRateSchedule.constant(learningRate), DEFAULT_CLIP_NORM, 0, 0f, 0f,
                false, false, BindingLoss.NONE, "cpu", 0, 0);
    }

    public TrainerOptions withThreads(int intra, int inter) {
        return new TrainerOptions(frames, schedule, clipNorm, auxiliaryClasses, auxiliaryWeight, imageWeight,
                anyResImages, freezeTower, binding, device, intra, inter);
    }

    public TrainerOptions withDevice(String d) {
        return new TrainerOptions(frames, schedule, clipNorm, auxiliaryClasses, auxiliaryWeight, imageWeight,
                anyResImages, freezeTower, binding, d, intraOpThreads, interOpThreads);
    }

    public TrainerOptions withClipNorm(float norm) {
        return new TrainerOptions(frames, schedule, norm, auxiliaryClasses, auxiliaryWeight, imageWeight,
                anyResImages, freezeTower, binding, device, intraOpThreads, interOpThreads);
    }

    public TrainerOptions withPatchLoss(int classes, float weight) {
        return new TrainerOptions(frames, schedule, clipNorm, classes, weight, imageWeight, anyResImages, freezeTower,
                binding, device, intraOpThreads, interOpThreads);
    }

    public TrainerOptions withImagePath(float weight) {
        return new TrainerOptions(frames, schedule, clipNorm, auxiliaryClasses, auxiliaryWeight, weight,
                anyResImages, freezeTower, binding, device, intraOpThreads, interOpThreads);
    }

    public TrainerOptions withSchedule(LearningRateSchedule s) {
        return new TrainerOptions(frames, s, clipNorm, auxiliaryClasses, auxiliaryWeight, imageWeight, anyResImages,
                freezeTower, binding, device, intraOpThreads, interOpThreads);
    }

    public TrainerOptions withFrozenTower() {
        return new TrainerOptions(frames, schedule, clipNorm, auxiliaryClasses, auxiliaryWeight, imageWeight,
                anyResImages, true, binding, device, intraOpThreads, interOpThreads);
    }

    /** The image path on AnyRes views; it needs {@link #withImagePath} too. */
    public TrainerOptions withAnyResImages() {
        return new TrainerOptions(frames, schedule, clipNorm, auxiliaryClasses, auxiliaryWeight, imageWeight, true,
                freezeTower, binding, device, intraOpThreads, interOpThreads);
    }

    public TrainerOptions withBinding(BindingLoss b) {
        return new TrainerOptions(frames, schedule, clipNorm, auxiliaryClasses, auxiliaryWeight, imageWeight,
                anyResImages, freezeTower, b, device, intraOpThreads, interOpThreads);
    }
}

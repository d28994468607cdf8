package io.streamvl.models.train;

/**
 * Adam's step size per step: a linear warm-up from 0 to {@code peak} over {@code warmupSteps}, then a cosine decay to
 * {@code floor * peak} at {@code totalSteps}, held after. Warm-up keeps the first steps, taken with noisy moment
 * estimates, from throwing the random weights off; the decay lets a long run settle instead of wandering at the peak
 * rate (a constant rate's loss rises again late in long runs).
 */
public record LearningRateSchedule(float peak, int warmupSteps, int totalSteps, float floor) {
    public LearningRateSchedule {
        if (!(peak > 0) || warmupSteps < 0 || totalSteps < warmupSteps || !(floor >= 0 && floor <= 1)) {
            throw new IllegalArgumentException("invalid learning-rate schedule peak=" + peak + " warmup=" + warmupSteps
                    + " total=" + totalSteps + " floor=" + floor);
        }
    }

    /** The same rate at every step. */
    public static LearningRateSchedule constant(float rate) {
        return new LearningRateSchedule(rate, 0, 0, 1);
    }

    /** @param step 1 for the first step */
    public float rate(long step) {
        if (step <= warmupSteps) {
            return peak * step / Math.max(1, warmupSteps);
        }
        if (step >= totalSteps) {
            return peak * floor;
        }
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return (float) (peak * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * progress))));
    }
}

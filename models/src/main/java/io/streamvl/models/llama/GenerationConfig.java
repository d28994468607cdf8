package io.streamvl.models.llama;

import java.util.Set;

/**
 * How to pick tokens and when to stop. Temperature 0 is greedy; otherwise HF order: temperature,
 * then top-k (0 = off), then top-p (1 = off). Sequence i of a call samples from its own
 * {@code SplittableRandom(seed + i)}, so a seeded call is reproducible.
 */
public record GenerationConfig(int maxNewTokens, double temperature, int topK, double topP, long seed,
        Set<Integer> stopTokenIds, StopCondition stopCondition) {

    public GenerationConfig {
        if (maxNewTokens < 0 || temperature < 0 || topK < 0 || !(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("invalid generation config: maxNewTokens=" + maxNewTokens
                    + " temperature=" + temperature + " topK=" + topK + " topP=" + topP);
        }
        stopTokenIds = Set.copyOf(stopTokenIds);
    }

    public static GenerationConfig greedy(int maxNewTokens) {
        return new GenerationConfig(maxNewTokens, 0, 0, 1, 0, Set.of(), StopCondition.NEVER);
    }

    public GenerationConfig withSampling(double temperature, int topK, double topP, long seed) {
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, seed, stopTokenIds, stopCondition);
    }

    public GenerationConfig withStopTokens(Set<Integer> ids) {
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, seed, ids, stopCondition);
    }

    public GenerationConfig withStopCondition(StopCondition condition) {
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, seed, stopTokenIds, condition);
    }

    boolean isGreedy() {
        return temperature == 0 || topK == 1;
    }
}

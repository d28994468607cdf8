package io.streamvl.models.llavamini;

import io.streamvl.models.bundle.LlamaWeights;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.weights.InMemoryTensors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded random LLaVA-Mini parts under the reference's names, for benchmarks and the tiny bundles. Each
 * tensor draws from its own seed (the given seed mixed with its name): norm weights near 1, other vectors
 * small, matrices uniform with fan-in scaling so activations stay near unit variance.
 */
public final class RandomLlavaMiniWeights {
    private RandomLlavaMiniWeights() {}

    /** A compressor of {@code side²} queries of width {@code d}; no {@code pos_embed}: the loader recomputes it. */
    public static InMemoryTensors compressor(String prefix, int side, int d, long seed) {
        long q = (long) side * side;
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put(prefix + CompressorWeights.QUERY, new long[] {q, d});
        for (String ln : new String[] {CompressorWeights.LN_Q, CompressorWeights.LN_KV}) {
            shapes.put(prefix + ln + "weight", new long[] {d});
            shapes.put(prefix + ln + "bias", new long[] {d});
        }
        shapes.put(prefix + CompressorWeights.IN_PROJ_WEIGHT, new long[] {3L * d, d});
        shapes.put(prefix + CompressorWeights.IN_PROJ_BIAS, new long[] {3L * d});
        shapes.put(prefix + CompressorWeights.OUT_PROJ + "weight", new long[] {d, d});
        shapes.put(prefix + CompressorWeights.OUT_PROJ + "bias", new long[] {d});
        return fill(shapes, seed);
    }

    /** {@code layers} decoder layers with {@code llm}'s shapes under {@code prefix + i + "."}. */
    public static InMemoryTensors preFusion(LlamaConfig llm, int layers, String prefix, long seed) {
        LlamaConfig stack = new LlamaConfig(llm.vocabSize(), llm.hiddenSize(), llm.intermediateSize(), layers,
                llm.numHeads(), llm.numKvHeads(), llm.headDim(), llm.rmsNormEps(), llm.ropeTheta(), llm.ropeScaling(),
                llm.tieWordEmbeddings(), llm.maxPositionEmbeddings(), llm.bosTokenId(), llm.eosTokenIds());
        Map<String, long[]> shapes = new LinkedHashMap<>();
        LlamaWeights.expected(stack).forEach((name, shape) -> {
            if (name.startsWith("model.layers.")) {
                shapes.put(prefix + name.substring("model.layers.".length()), shape);
            }
        });
        return fill(shapes, seed);
    }

    /** Any shapes, filled as the class comment says. */
    public static InMemoryTensors fill(Map<String, long[]> shapes, long seed) {
        InMemoryTensors out = new InMemoryTensors();
        shapes.forEach((name, shape) -> out.put(name, values(name, shape, seed), shape));
        return out;
    }

    private static float[] values(String name, long[] shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ (name.hashCode() * 0x9E3779B97F4A7C15L));
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[Math.toIntExact(n)];
        boolean norm = (name.contains("norm") || name.contains("ln_")) && name.endsWith("weight");
        double base = norm ? 1 : 0;
        double bound = norm ? 0.2 : shape.length == 1 ? 0.1 : Math.sqrt(3.0 / (n / shape[0]));
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (base + r.nextDouble(-bound, bound));
        }
        return v;
    }
}

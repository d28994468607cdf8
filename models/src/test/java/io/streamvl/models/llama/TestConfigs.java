package io.streamvl.models.llama;

import java.util.List;

/** Tiny configs covering the architecture's variants. */
final class TestConfigs {
    private TestConfigs() {}

    static final LlamaConfig MHA_TIED = new LlamaConfig(61, 32, 48, 2, 4, 4, 8, 1e-5, 10000, null, true, 64, 1, List.of(2));

    /** GQA, untied head, llama3 rope scaling, head_dim (16) != hidden / heads (12). */
    static final LlamaConfig GQA_LLAMA3 = new LlamaConfig(53, 48, 40, 2, 4, 2, 16, 1e-6, 10000,
            new RopeScaling("llama3", 8, 1, 4, 32), false, 48, 1, List.of(2));

    static final LlamaConfig GQA_TIED = new LlamaConfig(47, 24, 32, 3, 6, 2, 4, 1e-5, 10000, null, true, 40, 1, List.of(2));

    static List<LlamaConfig> all() {
        return List.of(MHA_TIED, GQA_LLAMA3, GQA_TIED);
    }

    static LlamaModel load(LlamaConfig c, int maxBatch) {
        return LlamaModel.load(c, new RandomLlamaWeights(c, 7), DecoderOptions.defaults().withMaxBatch(maxBatch).withThreads(2, 1));
    }
}

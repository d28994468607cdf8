package io.streamvl.models.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamvl.models.ModelFormatException;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.tiny.TinyLlama;
import io.streamvl.models.weights.InMemoryTensors;
import io.streamvl.models.weights.PrefixedTensors;
import io.streamvl.models.weights.TensorSource;
import org.junit.jupiter.api.Test;

class LlamaWeightsTest {
    private static final LlamaConfig GQA = TinyLlama.configs().get("gqa-untied");
    private static final LlamaConfig TIED = TinyLlama.configs().get("mha-tied");

    @Test
    void expectedNamesAndShapes() {
        assertThat(LlamaWeights.expected(GQA)).hasSize(1 + 2 * 9 + 2);
        assertThat(LlamaWeights.expected(GQA).get("model.layers.1.self_attn.k_proj.weight")).containsExactly(16, 32);
        assertThat(LlamaWeights.expected(GQA).get("model.layers.0.self_attn.o_proj.weight")).containsExactly(32, 32);
        assertThat(LlamaWeights.expected(GQA).get("model.layers.0.mlp.down_proj.weight")).containsExactly(32, 64);
        assertThat(LlamaWeights.expected(TIED)).doesNotContainKey("lm_head.weight");
        LlamaConfig wide = TinyLlama.configs().get("mha-tied-llama3-wide-heads");
        assertThat(LlamaWeights.expected(wide).get("model.layers.0.self_attn.q_proj.weight")).containsExactly(64, 32);
    }

    @Test
    void acceptsCompleteWeights() {
        for (LlamaConfig c : TinyLlama.configs().values()) {
            assertThatCode(() -> LlamaWeights.check(c, TinyLlama.weights(c, 1))).doesNotThrowAnyException();
        }
    }

    @Test
    void reportsMissingAndMisshapenTensors() {
        InMemoryTensors w = copyWithout(TinyLlama.weights(GQA, 1), "lm_head.weight");
        w.put("model.layers.1.self_attn.k_proj.weight", new float[32 * 32], 32, 32);
        assertThatThrownBy(() -> LlamaWeights.check(GQA, w)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("(2 problems)")
                .hasMessageContaining("model.layers.1.self_attn.k_proj.weight: shape [32, 32], expected [16, 32]")
                .hasMessageContaining("lm_head.weight: missing (expected [100, 32])");
    }

    @Test
    void listsOnlyTheFirstProblems() {
        assertThatThrownBy(() -> LlamaWeights.check(GQA, new InMemoryTensors()))
                .hasMessageContaining("(21 problems)")
                .hasMessageContaining("model.embed_tokens.weight: missing")
                .hasMessageContaining("... and 13 more");
    }

    @Test
    void checksBiasesWhenPresent() {
        InMemoryTensors w = TinyLlama.weights(GQA, 1);
        w.put("model.layers.0.self_attn.q_proj.bias", new float[32], 32);
        w.put("model.layers.0.self_attn.k_proj.bias", new float[16], 16);
        assertThatCode(() -> LlamaWeights.check(GQA, w)).doesNotThrowAnyException();
        w.put("model.layers.0.self_attn.v_proj.bias", new float[32], 32);
        assertThatThrownBy(() -> LlamaWeights.check(GQA, w))
                .hasMessageContaining("model.layers.0.self_attn.v_proj.bias: shape [32], expected [16]");
    }

    @Test
    void llavaPrefixesAreMappedToPlainNames() {
        InMemoryTensors plain = TinyLlama.weights(GQA, 3);
        for (String[] prefixes : new String[][] {
            {"language_model.model.", "language_model.lm_head."}, {"model.language_model.", "lm_head."}}) {
            InMemoryTensors llava = new InMemoryTensors();
            llava.put("vision_tower.vision_model.embeddings.patch_embedding.weight", new float[4], 2, 2);
            llava.put("multi_modal_projector.linear_1.weight", new float[4], 2, 2);
            for (String name : plain.names()) {
                String stored = name.startsWith("lm_head.") ? prefixes[1] + name.substring(8)
                        : prefixes[0] + name.substring(6);
                llava.put(stored, plain.floats(name), plain.info(name).shape());
            }
            TensorSource view = LlamaWeights.languageModel(llava);
            assertThat(view).isInstanceOf(PrefixedTensors.class);
            assertThat(view.names()).containsExactlyInAnyOrderElementsOf(plain.names());
            assertThat(view.info("model.norm.weight").name()).isEqualTo("model.norm.weight");
            assertThat(view.floats("lm_head.weight")).containsExactly(plain.floats("lm_head.weight"));
            assertThat(((PrefixedTensors) view).storedName("model.norm.weight")).isEqualTo(prefixes[0] + "norm.weight");
            assertThat(view.info("multi_modal_projector.linear_1.weight")).isNull();
            assertThatCode(() -> LlamaWeights.check(GQA, view)).doesNotThrowAnyException();
        }
        assertThat(LlamaWeights.languageModel(plain)).isSameAs(plain);
    }

    private static InMemoryTensors copyWithout(TensorSource source, String dropped) {
        InMemoryTensors copy = new InMemoryTensors();
        for (String name : source.names()) {
            if (!name.equals(dropped)) {
                copy.put(name, source.floats(name), source.info(name).shape());
            }
        }
        return copy;
    }
}

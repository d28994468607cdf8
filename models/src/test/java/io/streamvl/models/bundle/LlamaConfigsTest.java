package io.streamvl.models.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.llama.RopeScaling;
import io.streamvl.models.tiny.TinyLlama;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class LlamaConfigsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode fixture(String name) throws IOException {
        try (InputStream in = LlamaConfigsTest.class.getResourceAsStream("/bundle/" + name)) {
            return JSON.readTree(in);
        }
    }

    @Test
    void parsesLlama31Config() throws IOException {
        LlamaConfig c = LlamaConfigs.fromHf(fixture("llama-3.1-8b-instruct-config.json"));
        assertThat(c).isEqualTo(new LlamaConfig(128256, 4096, 14336, 32, 32, 8, 128, 1e-5, 500000,
                new RopeScaling("llama3", 8, 1, 4, 8192), false, 131072, 128000, List.of(128001, 128008, 128009)));
    }

    @Test
    void parsesVicunaConfig() throws IOException {
        LlamaConfig c = LlamaConfigs.fromHf(fixture("vicuna-7b-v1.5-config.json"));
        assertThat(c).isEqualTo(new LlamaConfig(32000, 4096, 11008, 32, 32, 32, 128, 1e-5, 10000, null, false, 4096, 1,
                List.of(2)));
    }

    @Test
    void parsesNestedLlavaTextConfigWithHfDefaults() throws IOException {
        LlamaConfig c = LlamaConfigs.fromHf(fixture("llava-1.5-7b-hf-config.json"));
        assertThat(c).isEqualTo(new LlamaConfig(32064, 4096, 11008, 32, 32, 32, 128, 1e-5, 10000, null, false, 4096, 1,
                List.of(2)));
    }

    @Test
    void defaultsAndVariants() {
        ObjectNode c = JSON.createObjectNode().put("hidden_size", 64).put("num_attention_heads", 8);
        c.putNull("num_key_value_heads");
        c.putNull("head_dim");
        c.putNull("bos_token_id");
        c.putObject("rope_scaling").put("rope_type", "default");
        LlamaConfig parsed = LlamaConfigs.fromHf(c);
        assertThat(parsed.numKvHeads()).isEqualTo(8);
        assertThat(parsed.headDim()).isEqualTo(8);
        assertThat(parsed.ropeScaling()).isNull();
        assertThat(parsed.rmsNormEps()).isEqualTo(1e-6);
        assertThat(parsed.ropeTheta()).isEqualTo(10000);
        assertThat(parsed.bosTokenId()).isEqualTo(-1);
        assertThat(parsed.eosTokenIds()).containsExactly(2);
        c.putObject("rope_scaling").put("type", "llama3").put("factor", 2).put("low_freq_factor", 1)
                .put("high_freq_factor", 4).put("original_max_position_embeddings", 16);
        assertThat(LlamaConfigs.fromHf(c).ropeScaling()).isEqualTo(new RopeScaling("llama3", 2, 1, 4, 16));
    }

    @Test
    void rejectsUnsupportedOrInconsistentConfigs() {
        assertRejected("{\"rope_scaling\":{\"type\":\"linear\",\"factor\":2.0}}", "unsupported rope_scaling type linear");
        assertRejected("{\"rope_scaling\":{\"rope_type\":\"yarn\",\"factor\":4.0}}", "unsupported rope_scaling type yarn");
        assertRejected("{\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":8.0}}",
                "rope_scaling.low_freq_factor is missing");
        assertRejected("{\"num_attention_heads\":32,\"num_key_value_heads\":5}",
                "num_attention_heads 32 is not a multiple of num_key_value_heads 5");
        assertRejected("{\"hidden_size\":100,\"num_attention_heads\":3}", "hidden_size 100 is not a multiple");
        assertRejected("{\"hidden_size\":\"big\"}", "hidden_size must be a positive integer, got \"big\"");
        assertRejected("{\"num_hidden_layers\":0}", "num_hidden_layers must be a positive integer");
        assertRejected("{\"hidden_act\":\"gelu\"}", "unsupported hidden_act gelu");
        assertRejected("{\"eos_token_id\":\"</s>\"}", "eos_token_id must be an integer or a list");
        assertRejected("{\"tie_word_embeddings\":\"yes\"}", "tie_word_embeddings must be true or false");
    }

    private static void assertRejected(String json, String message) {
        assertThatThrownBy(() -> LlamaConfigs.fromHf(JSON.readTree(json))).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("config.json: ").hasMessageContaining(message);
    }

    @Test
    void toHfJsonRoundTrips() throws IOException {
        for (LlamaConfig c : TinyLlama.configs().values()) {
            ObjectNode json = LlamaConfigs.toHfJson(c);
            assertThat(LlamaConfigs.fromHf(JSON.readTree(JSON.writeValueAsString(json)))).isEqualTo(c);
            assertThat(json.get("architectures").get(0).asText()).isEqualTo("LlamaForCausalLM");
        }
        LlamaConfig llama31 = LlamaConfigs.fromHf(fixture("llama-3.1-8b-instruct-config.json"));
        ObjectNode written = LlamaConfigs.toHfJson(llama31);
        assertThat(written.get("eos_token_id").size()).isEqualTo(3);
        assertThat(written.get("rope_scaling").get("rope_type").asText()).isEqualTo("llama3");
        assertThat(LlamaConfigs.fromHf(written)).isEqualTo(llama31);
    }
}

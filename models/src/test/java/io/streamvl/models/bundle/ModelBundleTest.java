package io.streamvl.models.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.tiny.TinyLlama;
import io.streamvl.models.weights.Checkpoint;
import io.streamvl.models.weights.DType;
import io.streamvl.models.weights.InMemoryTensors;
import io.streamvl.models.weights.SafetensorsWriter;
import io.streamvl.models.weights.TensorSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {
    private static final LlamaConfig GQA = TinyLlama.configs().get("gqa-llama3");

    @TempDir
    Path dir;

    @Test
    void opensATinyBundleInEveryDtype() {
        for (DType dtype : new DType[] {DType.F32, DType.F16, DType.BF16}) {
            Path bundleDir = TinyLlama.write(dir.resolve(dtype.name()), GQA, 7, dtype);
            InMemoryTensors expected = TinyLlama.weights(GQA, 7, dtype);
            try (ModelBundle bundle = ModelBundle.open(bundleDir)) {
                assertThat(bundle.architecture()).isEqualTo(Architecture.LLAMA);
                assertThat(bundle.llamaConfig()).isEqualTo(GQA);
                assertThat(bundle.manifest().promptTemplate()).isEqualTo("plain");
                assertThat(bundle.manifest().stopTokenIds()).containsExactly(2, 3);
                assertThat(bundle.hasTokenizer()).isFalse();
                assertThat(bundle.tokenizerConfig()).isNull();
                TensorSource weights = bundle.languageModelWeights();
                assertThatCode(() -> LlamaWeights.check(bundle.llamaConfig(), weights)).doesNotThrowAnyException();
                for (String name : expected.names()) {
                    assertThat(weights.info(name).dtype()).isEqualTo(dtype);
                    assertThat(weights.floats(name)).as(name).containsExactly(expected.floats(name));
                }
            }
        }
    }

    @Test
    void tinyWeightsAreDeterministicAndSensiblyScaled() {
        InMemoryTensors a = TinyLlama.weights(GQA, 5);
        InMemoryTensors b = TinyLlama.weights(GQA, 5);
        assertThat(a.floats("model.layers.0.mlp.up_proj.weight")).containsExactly(b.floats("model.layers.0.mlp.up_proj.weight"));
        assertThat(TinyLlama.weights(GQA, 6).floats("model.norm.weight")).isNotEqualTo(a.floats("model.norm.weight"));
        assertThat(mean(a.floats("model.layers.1.post_attention_layernorm.weight"))).isBetween(0.9, 1.1);
        assertThat(rms(a.floats("model.layers.1.self_attn.q_proj.weight"))).isBetween(0.015, 0.025);
    }

    @Test
    void copiesTheTokenizerAndReadsItsConfig() throws IOException {
        Path tokenizer = Files.writeString(dir.resolve("some-tokenizer.json"), "{\"model\":{}}");
        Path bundleDir = TinyLlama.write(dir.resolve("b"), GQA, 1, DType.F32, tokenizer);
        Files.writeString(bundleDir.resolve(ModelBundle.TOKENIZER_CONFIG), "{\"bos_token\":\"<s>\"}");
        try (ModelBundle bundle = ModelBundle.open(bundleDir)) {
            assertThat(bundle.tokenizerJson()).hasContent("{\"model\":{}}");
            assertThat(bundle.tokenizerConfig().get("bos_token").asText()).isEqualTo("<s>");
        }
    }

    @Test
    void readsAShardedBundle() throws IOException {
        Path bundleDir = TinyLlama.write(dir.resolve("sharded"), GQA, 2, DType.BF16);
        Files.delete(bundleDir.resolve(Checkpoint.SINGLE_FILE));
        InMemoryTensors all = TinyLlama.weights(GQA, 2);
        InMemoryTensors first = new InMemoryTensors();
        InMemoryTensors second = new InMemoryTensors();
        StringBuilder index = new StringBuilder("{\"metadata\":{},\"weight_map\":{");
        for (String name : all.names()) {
            boolean early = name.startsWith("model.embed") || name.startsWith("model.layers.0.");
            (early ? first : second).put(name, all.floats(name), all.info(name).shape());
            index.append('"').append(name).append("\":\"model-0000").append(early ? 1 : 2).append("-of-00002.safetensors\",");
        }
        index.setCharAt(index.length() - 1, '}');
        index.append('}');
        SafetensorsWriter.write(bundleDir.resolve("model-00001-of-00002.safetensors"), first, DType.BF16);
        SafetensorsWriter.write(bundleDir.resolve("model-00002-of-00002.safetensors"), second, DType.BF16);
        Files.writeString(bundleDir.resolve(Checkpoint.SHARD_INDEX), index);
        try (ModelBundle bundle = ModelBundle.open(bundleDir)) {
            LlamaWeights.check(bundle.llamaConfig(), bundle.weights());
            assertThat(bundle.weights().floats("model.norm.weight"))
                    .containsExactly(TinyLlama.weights(GQA, 2, DType.BF16).floats("model.norm.weight"));
        }
    }

    @Test
    void infersTheManifestFromHfFiles() throws IOException {
        Path bundleDir = TinyLlama.write(dir.resolve("inferred"), GQA, 1, DType.F32);
        Files.delete(bundleDir.resolve(ModelBundle.MANIFEST));
        Files.writeString(bundleDir.resolve(ModelBundle.TOKENIZER_CONFIG),
                "{\"chat_template\":\"{{ '<|start_header_id|>' + message['role'] }}\"}");
        try (ModelBundle bundle = ModelBundle.open(bundleDir)) {
            assertThat(bundle.architecture()).isEqualTo(Architecture.LLAMA);
            assertThat(bundle.manifest().promptTemplate()).isEqualTo("llama-3.1");
            assertThat(bundle.manifest().stopTokenIds()).containsExactly(2, 3);
            assertThat(bundle.manifest().json().get("architecture").asText()).isEqualTo("llama");
        }
        Files.writeString(bundleDir.resolve(ModelBundle.CONFIG),
                Files.readString(bundleDir.resolve(ModelBundle.CONFIG)).replace("LlamaForCausalLM", "MistralForCausalLM")
                        .replace("\"llama\"", "\"mistral\""));
        assertThatThrownBy(() -> ModelBundle.open(bundleDir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("config.json: unknown architecture MistralForCausalLM, model_type mistral");
    }

    @Test
    void readsLlavaConfigsWithoutManifest() throws IOException {
        Files.writeString(dir.resolve(ModelBundle.CONFIG),
                new ObjectMapper().writeValueAsString(LlamaConfigsTest.fixture("llava-1.5-7b-hf-config.json")));
        try (ModelBundle bundle = ModelBundle.open(dir)) {
            assertThat(bundle.architecture()).isEqualTo(Architecture.LLAVA);
            assertThat(bundle.llamaConfig().vocabSize()).isEqualTo(32064);
            assertThat(bundle.hfConfig().path("vision_config").path("image_size").asInt()).isEqualTo(336);
            assertThatThrownBy(bundle::weights).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("no model.safetensors");
        }
    }

    @Test
    void rejectsBadManifests() throws IOException {
        Path bundleDir = TinyLlama.write(dir.resolve("m"), GQA, 1, DType.F32);
        assertManifestRejected(bundleDir, "{\"schema\":2,\"architecture\":\"llama\"}", "\"schema\" must be 1, got 2");
        assertManifestRejected(bundleDir, "{\"schema\":1,\"architecture\":\"gpt2\"}",
                "unknown architecture 'gpt2' (supported: llama, llava, llava-mini)");
        assertManifestRejected(bundleDir, "{\"schema\":1}", "\"architecture\" is missing");
        assertManifestRejected(bundleDir, "{\"schema\":1,\"architecture\":\"llama\",\"promptTemplate\":\"chatml\"}",
                "unknown prompt template 'chatml'");
        assertManifestRejected(bundleDir, "{\"schema\":1,\"architecture\":\"llama\",\"computeDtype\":\"I8\"}",
                "computeDtype must be F32, F16 or BF16");
        assertManifestRejected(bundleDir, "{\"schema\":1,\"architecture\":\"llama\",\"stopTokenIds\":[\"x\"]}",
                "\"stopTokenIds\" must be a list of token ids");
        assertManifestRejected(bundleDir, "{\"schema\":1,\"architecture\":\"llama\",\"stopStrings\":\"</s>\"}",
                "\"stopStrings\" must be a list of strings");
        assertManifestRejected(bundleDir, "{\"schema\":1,", "not valid JSON");
    }

    @Test
    void parsesAFullManifestAndKeepsExtraKeys() throws IOException {
        Path bundleDir = TinyLlama.write(dir.resolve("full"), GQA, 1, DType.F32);
        Files.writeString(bundleDir.resolve(ModelBundle.MANIFEST), "{\"schema\":1,\"architecture\":\"llava-mini\","
                + "\"name\":\"LLaVA-Mini\",\"promptTemplate\":\"llama-3.1\",\"stopTokenIds\":[128001,128009],"
                + "\"stopStrings\":[\"<|eot_id|>\"],\"computeDtype\":\"BF16\",\"compressionTokens\":1}");
        try (ModelBundle bundle = ModelBundle.open(bundleDir)) {
            ModelManifest m = bundle.manifest();
            assertThat(m.architecture()).isEqualTo(Architecture.LLAVA_MINI);
            assertThat(m.name()).isEqualTo("LLaVA-Mini");
            assertThat(m.stopTokenIds()).containsExactly(128001, 128009);
            assertThat(m.stopStrings()).containsExactly("<|eot_id|>");
            assertThat(m.computeDtype()).isEqualTo(DType.BF16);
            assertThat(m.json().get("compressionTokens").asInt()).isEqualTo(1);
            assertThat(m.toJson().get("compressionTokens").asInt()).isEqualTo(1);
        }
    }

    @Test
    void reportsMissingOrBrokenConfig() throws IOException {
        assertThatThrownBy(() -> ModelBundle.open(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("config.json: missing");
        assertThatThrownBy(() -> ModelBundle.open(dir.resolve("absent"))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("not a model bundle directory");
        Files.writeString(dir.resolve(ModelBundle.CONFIG), "{\"architectures\":[\"LlamaForCausalLM\"],"
                + "\"rope_scaling\":{\"type\":\"dynamic\",\"factor\":2.0}}");
        assertThatThrownBy(() -> ModelBundle.open(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(dir + "/config.json: unsupported rope_scaling type dynamic");
    }

    @Test
    void closingReleasesTheWeights() {
        ModelBundle bundle = ModelBundle.open(TinyLlama.write(dir.resolve("c"), GQA, 1, DType.F32));
        TensorSource weights = bundle.weights();
        assertThat(bundle.weights()).isSameAs(weights);
        bundle.close();
        assertThatThrownBy(() -> weights.floats("model.norm.weight")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(bundle::weights).isInstanceOf(IllegalStateException.class);
    }

    private static void assertManifestRejected(Path bundleDir, String manifest, String message) throws IOException {
        Files.writeString(bundleDir.resolve(ModelBundle.MANIFEST), manifest);
        assertThatThrownBy(() -> ModelBundle.open(bundleDir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(ModelBundle.MANIFEST).hasMessageContaining(message);
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double rms(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s / v.length);
    }
}

package io.streamvl.models.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.tiny.TinyLlama;
import io.streamvl.models.weights.Checkpoint;
import io.streamvl.models.weights.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleInfoTest {
    @Test
    void countsTensorsParametersAndBytes(@TempDir Path dir) throws Exception {
        LlamaConfig c = TinyLlama.configs().get("gqa-untied");
        TinyLlama.write(dir, c, 1, DType.BF16);
        // embed + head 100x32 each; per layer: 2 norms of 32, q 32x32, k/v 16x32, o 32x32, 3 mlp 64x32; final norm.
        long perLayer = 2 * 32 + 32 * 32 + 2 * 16 * 32 + 32 * 32 + 3 * 64 * 32;
        long parameters = 2 * 100 * 32 + 2 * perLayer + 32;
        try (ModelBundle bundle = ModelBundle.open(dir)) {
            BundleInfo info = BundleInfo.of(bundle);
            assertThat(info.tensorCount()).isEqualTo(21);
            assertThat(info.parameterCount()).isEqualTo(parameters);
            assertThat(info.totalBytes()).isEqualTo(2 * parameters);
            assertThat(info.dtypes()).isEqualTo(Map.of(DType.BF16, 21));
            assertThat(info.files()).extracting(BundleInfo.FileEntry::name)
                    .containsExactly("config.json", "model.safetensors", "streamvl-model.json");
            assertThat(info.files().get(1).bytes()).isEqualTo(Files.size(dir.resolve(Checkpoint.SINGLE_FILE)));

            ObjectNode json = info.toJson();
            assertThat(json.at("/weights/parameters").asLong()).isEqualTo(parameters);
            assertThat(json.at("/weights/dtypes/BF16").asInt()).isEqualTo(21);
            assertThat(json.at("/config/numKvHeads").asInt()).isEqualTo(2);
            assertThat(json.at("/manifest/architecture").asText()).isEqualTo("llama");
            assertThat(json.at("/files/model.safetensors").asLong()).isPositive();

            assertThat(info.toString())
                    .contains("architecture  llama (tiny-llama)")
                    .contains("2 layers, hidden 32, mlp 64, heads 4 (kv 2, dim 8), vocab 100")
                    .contains("21 tensors, 25.0K parameters, 48.8 KiB, {BF16=21}")
                    .contains("model.safetensors");
        }
    }

    @Test
    void humanUnits() {
        assertThat(BundleInfo.humanCount(8_030_261_248L)).isEqualTo("8.03B");
        assertThat(BundleInfo.humanCount(999)).isEqualTo("999");
        assertThat(BundleInfo.humanBytes(16_060_522_496L)).isEqualTo("14.96 GiB");
        assertThat(BundleInfo.humanBytes(512)).isEqualTo("512 B");
    }
}

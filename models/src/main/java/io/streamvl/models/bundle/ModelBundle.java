package io.streamvl.models.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.weights.Checkpoint;
import io.streamvl.models.weights.TensorSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model directory in the Hugging Face layout: {@value #CONFIG}, {@code model.safetensors} or shards
 * with {@code model.safetensors.index.json}, {@value #TOKENIZER} (+ {@value #TOKENIZER_CONFIG}), and
 * streamvl's {@value #MANIFEST} (see {@link ModelManifest}; inferred from {@code config.json} when
 * absent). Opening reads and validates the JSON files; the weights are opened on first use and
 * closed with the bundle.
 */
public final class ModelBundle implements AutoCloseable {
    public static final String CONFIG = "config.json";
    public static final String MANIFEST = "streamvl-model.json";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final JsonNode hfConfig;
    private final ModelManifest manifest;
    private final LlamaConfig llamaConfig;
    private final JsonNode tokenizerConfig;
    private TensorSource weights;
    private boolean closed;

    private ModelBundle(Path dir, JsonNode hfConfig, ModelManifest manifest, LlamaConfig llamaConfig,
            JsonNode tokenizerConfig) {
        this.dir = dir;
        this.hfConfig = hfConfig;
        this.manifest = manifest;
        this.llamaConfig = llamaConfig;
        this.tokenizerConfig = tokenizerConfig;
    }

    public static ModelBundle open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ModelFormatException(dir + ": not a model bundle directory");
        }
        JsonNode config = readJson(dir, CONFIG, true);
        JsonNode tokenizerConfig = readJson(dir, TOKENIZER_CONFIG, false);
        JsonNode manifestJson = readJson(dir, MANIFEST, false);
        ModelManifest manifest = manifestJson != null
                ? ModelManifest.parse(manifestJson, config, dir.resolve(MANIFEST).toString())
                : ModelManifest.infer(config, tokenizerConfig);
        LlamaConfig llama;
        try {
            llama = LlamaConfigs.fromHf(config);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(dir + "/" + e.getMessage(), e);
        }
        return new ModelBundle(dir, config, manifest, llama, tokenizerConfig);
    }

    public Path dir() {
        return dir;
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public Architecture architecture() {
        return manifest.architecture();
    }

    /** The whole {@code config.json}, for architecture-specific keys (vision tower, projector). */
    public JsonNode hfConfig() {
        return hfConfig;
    }

    /** The LLM decoder's config: the top level, or {@code text_config} for HF LLaVA. */
    public LlamaConfig llamaConfig() {
        return llamaConfig;
    }

    /** All tensors of the checkpoint under their stored names; opened on first call. */
    public synchronized TensorSource weights() {
        if (closed) {
            throw new IllegalStateException(dir + ": bundle is closed");
        }
        if (weights == null) {
            weights = Checkpoint.open(dir);
        }
        return weights;
    }

    /** The decoder's tensors under plain LLaMA names, whatever prefix the architecture stores them under. */
    public TensorSource languageModelWeights() {
        return LlamaWeights.languageModel(weights());
    }

    public boolean hasTokenizer() {
        return Files.isRegularFile(dir.resolve(TOKENIZER));
    }

    /** @throws ModelFormatException when the bundle has no {@value #TOKENIZER} */
    public Path tokenizerJson() {
        Path path = dir.resolve(TOKENIZER);
        if (!Files.isRegularFile(path)) {
            throw new ModelFormatException(path + ": missing; the bundle has no tokenizer");
        }
        return path;
    }

    /** {@value #TOKENIZER_CONFIG}, or null when the bundle has none. */
    public JsonNode tokenizerConfig() {
        return tokenizerConfig;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (weights != null) {
            weights.close();
            weights = null;
        }
    }

    @Override
    public String toString() {
        return "ModelBundle[" + dir + ", " + manifest.architecture().id() + "]";
    }

    private static JsonNode readJson(Path dir, String name, boolean required) {
        Path path = dir.resolve(name);
        if (!Files.isRegularFile(path)) {
            if (required) {
                throw new ModelFormatException(path + ": missing; a model bundle needs " + name);
            }
            return null;
        }
        try {
            JsonNode node = JSON.readTree(path.toFile());
            if (node == null || !node.isObject()) {
                throw new ModelFormatException(path + ": not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new ModelFormatException(path + ": not valid JSON: " + e.getMessage(), e);
        }
    }
}

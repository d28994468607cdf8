package io.streamvl.models.tiny;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.models.bundle.Architecture;
import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.bundle.ModelManifest;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.text.Tokenizer;
import io.streamvl.models.tsllava.TsLlavaConfig;
import io.streamvl.models.tsllava.TsLlavaManifest;
import io.streamvl.models.vision.ClipVisionConfig;
import io.streamvl.models.weights.Checkpoint;
import io.streamvl.models.weights.DType;
import io.streamvl.models.weights.SafetensorsWriter;
import io.streamvl.models.weights.TensorSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/** What the tiny vision-language bundles share: sizes, and writing the files of a bundle directory. */
final class TinyBundles {
    private TinyBundles() {}

    /** Image 24 (a 3x2 thumbnail grid tiles it), patch 6 (16 patches), hidden 32, 2 layers, 4 heads. */
    static ClipVisionConfig vision() {
        return new ClipVisionConfig(32, 64, 2, 4, 24, 6, 1e-5, ClipVisionConfig.QUICK_GELU);
    }

    /** Hidden 32, GQA 4/2 heads, 2 layers, the tokenizer's vocabulary, BOS and EOS. */
    static LlamaConfig llm(Path tokenizerJson) {
        return llm(tokenizerJson, 32, 64, 2, 4, 2);
    }

    /** A LLaMA of these sizes over the tokenizer's vocabulary, BOS and EOS; head width {@code hidden / heads}. */
    static LlamaConfig llm(Path tokenizerJson, int hidden, int intermediate, int layers, int heads, int kvHeads) {
        try (Tokenizer tokenizer = Tokenizer.load(tokenizerJson)) {
            int bos = tokenizer.bosId().orElse(1);
            List<Integer> eos = tokenizer.eosId().isPresent() ? List.of(tokenizer.eosId().getAsInt()) : List.of(2);
            return new LlamaConfig(tokenizer.vocabSize(), hidden, intermediate, layers, heads, kvHeads, hidden / heads,
                    1e-5, 10000, null, false, 512, bos, eos);
        }
    }

    /**
     * Template {@code plain}, the LLM's EOS as stop tokens, and TS-LLaVA's settings, which every tiny
     * vision-language bundle carries because TS-LLaVA can run over its image path.
     */
    static ModelManifest manifest(Architecture architecture, String name, LlamaConfig llm, TsLlavaConfig tsLlava) {
        ObjectNode extra = JsonNodeFactory.instance.objectNode();
        extra.set(TsLlavaManifest.KEY, TsLlavaManifest.toJson(tsLlava));
        return new ModelManifest(ModelManifest.SCHEMA, architecture, name, "plain", llm.eosTokenIds(), List.of(),
                DType.F32, extra);
    }

    static Path write(Path dir, ObjectNode config, ModelManifest manifest, TensorSource tensors, Path tokenizerJson) {
        try {
            Files.createDirectories(dir);
            ObjectMapper json = new ObjectMapper();
            json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(ModelBundle.CONFIG).toFile(), config);
            json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(ModelBundle.MANIFEST).toFile(),
                    manifest.toJson());
            SafetensorsWriter.write(dir.resolve(Checkpoint.SINGLE_FILE), tensors, DType.F32, Map.of("format", "pt"));
            Files.copy(tokenizerJson, dir.resolve(ModelBundle.TOKENIZER), StandardCopyOption.REPLACE_EXISTING);
            Path tokenizerConfig = tokenizerJson.resolveSibling(ModelBundle.TOKENIZER_CONFIG);
            if (Files.isRegularFile(tokenizerConfig)) {
                Files.copy(tokenizerConfig, dir.resolve(ModelBundle.TOKENIZER_CONFIG),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tiny bundle " + dir, e);
        }
    }
}

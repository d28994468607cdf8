package io.streamvl.models.tiny;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.models.bundle.Architecture;
import io.streamvl.models.bundle.LlamaConfigs;
import io.streamvl.models.bundle.LlamaWeights;
import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.bundle.ModelManifest;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.llama.RopeScaling;
import io.streamvl.models.weights.Checkpoint;
import io.streamvl.models.weights.DType;
import io.streamvl.models.weights.HalfFloats;
import io.streamvl.models.weights.InMemoryTensors;
import io.streamvl.models.weights.SafetensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Tiny LLaMA checkpoints with seeded random weights, written as real bundles so tests load them
 * through the same path as public checkpoints, and so other implementations (HF transformers, see
 * {@code scripts/hf-parity.py}) can be compared with ours on identical files
 * ({@code streamvl model write-tiny}). Each tensor draws from its own seed (the bundle seed
 * mixed with its name), so values do not depend on which tensors exist or in which order.
 */
public final class TinyLlama {
    public static final int VOCAB = 100;
    private static final double PROJECTION_STD = 0.02;
    /** Embeddings and head are wider than projections so logits spread and greedy decoding is stable. */
    private static final double EMBEDDING_STD = 0.5;
    private static final double NORM_STD = 0.1;

    private TinyLlama() {}

    /** GQA and MHA, tied and untied head, with and without llama3 rope scaling; 2 layers, vocab 100. */
    public static Map<String, LlamaConfig> configs() {
        RopeScaling llama3 = new RopeScaling("llama3", 8.0, 1.0, 4.0, 32);
        Map<String, LlamaConfig> configs = new LinkedHashMap<>();
        configs.put("gqa-untied", new LlamaConfig(VOCAB, 32, 64, 2, 4, 2, 8, 1e-5, 10000, null, false, 128, 1, List.of(2)));
        configs.put("mha-tied", new LlamaConfig(VOCAB, 48, 96, 2, 4, 4, 12, 1e-6, 10000, null, true, 128, 1, List.of(2)));
        configs.put("gqa-llama3", new LlamaConfig(VOCAB, 64, 128, 2, 4, 2, 16, 1e-5, 500000, llama3, false, 256, 1,
                List.of(2, 3)));
        // head_dim 16 with hidden 32 and 4 heads: q_proj is wider than hidden, as head_dim allows.
        configs.put("mha-tied-llama3-wide-heads", new LlamaConfig(VOCAB, 32, 80, 2, 4, 4, 16, 1e-5, 500000, llama3,
                true, 256, 1, List.of(2)));
        return configs;
    }

    /** The float32 weights of {@link #write}'s bundle before any narrowing to its dtype. */
    public static InMemoryTensors weights(LlamaConfig config, long seed) {
        InMemoryTensors tensors = new InMemoryTensors();
        LlamaWeights.expected(config).forEach((name, shape) -> tensors.put(name, values(name, shape, seed), shape));
        return tensors;
    }

    /** The weights exactly as a bundle written in {@code dtype} reads back. */
    public static InMemoryTensors weights(LlamaConfig config, long seed, DType dtype) {
        InMemoryTensors tensors = new InMemoryTensors();
        LlamaWeights.expected(config).forEach((name, shape) -> {
            float[] v = values(name, shape, seed);
            for (int i = 0; i < v.length; i++) {
                v[i] = HalfFloats.round(v[i], dtype);
            }
            tensors.put(name, v, shape);
        });
        return tensors;
    }

    public static Path write(Path dir, LlamaConfig config, long seed, DType dtype) {
        return write(dir, config, seed, dtype, null);
    }

    /**
     * Writes {@code config.json}, {@code model.safetensors} (in {@code dtype}) and
     * {@code streamvl-model.json} (llama, plain template, eos as stop tokens) into {@code dir}.
     *
     * @param tokenizerJson copied in as {@code tokenizer.json} when not null
     */
    public static Path write(Path dir, LlamaConfig config, long seed, DType dtype, Path tokenizerJson) {
        try {
            Files.createDirectories(dir);
            ObjectMapper json = new ObjectMapper();
            ObjectNode hf = LlamaConfigs.toHfJson(config);
            hf.put("torch_dtype", torchDtype(dtype));
            json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(ModelBundle.CONFIG).toFile(), hf);
            ModelManifest manifest = new ModelManifest(ModelManifest.SCHEMA, Architecture.LLAMA, "tiny-llama", "plain",
                    config.eosTokenIds(), List.of(), DType.F32, null);
            json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(ModelBundle.MANIFEST).toFile(),
                    manifest.toJson());
            SafetensorsWriter.write(dir.resolve(Checkpoint.SINGLE_FILE), weights(config, seed), dtype,
                    Map.of("format", "pt"));
            if (tokenizerJson != null) {
                Files.copy(tokenizerJson, dir.resolve(ModelBundle.TOKENIZER), StandardCopyOption.REPLACE_EXISTING);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tiny bundle " + dir, e);
        }
    }

    private static float[] values(String name, long[] shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ (name.hashCode() * 0x9E3779B97F4A7C15L));
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        boolean norm = name.endsWith("norm.weight");
        boolean embedding = name.equals("model.embed_tokens.weight") || name.equals("lm_head.weight");
        double std = norm ? NORM_STD : embedding ? EMBEDDING_STD : PROJECTION_STD;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((norm ? 1.0 : 0.0) + std * random.nextGaussian());
        }
        return v;
    }

    private static String torchDtype(DType dtype) {
        switch (dtype) {
            case F16:
                return "float16";
            case BF16:
                return "bfloat16";
            default:
                return "float32";
        }
    }
}

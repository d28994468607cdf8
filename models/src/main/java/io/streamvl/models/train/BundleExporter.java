package io.streamvl.models.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.bundle.ModelManifest;
import io.streamvl.models.weights.Checkpoint;
import io.streamvl.models.weights.DType;
import io.streamvl.models.weights.InMemoryTensors;
import io.streamvl.models.weights.SafetensorsWriter;
import io.streamvl.models.weights.TensorSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Writes trained weights as a bundle shaped like the one training started from: its {@code config.json}
 * (LLaMA, vision and LLaVA-Mini keys) and tokenizer files copied, its manifest renamed, and a float32
 * {@code model.safetensors} with every tensor of the original, trained values replacing the originals (tensors
 * training never reads, such as tower layers past the selected one, are kept as they were).
 */
public final class BundleExporter {
    private BundleExporter() {}

    /**
     * @param trained tensors under the source bundle's names
     * @param name the manifest's model name
     * @return {@code dir}
     */
    public static Path export(ModelBundle source, TensorSource trained, Path dir, String name) {
        InMemoryTensors all = InMemoryTensors.copyOf(source.weights());
        for (String tensor : trained.names()) {
            if (all.info(tensor) == null) {
                throw new IllegalArgumentException("trained tensor " + tensor + " is not in " + source.dir());
            }
            all.put(tensor, trained.floats(tensor), trained.info(tensor).shape());
        }
        ModelManifest m = source.manifest();
        ModelManifest renamed = new ModelManifest(m.schema(), m.architecture(), name, m.promptTemplate(),
                m.stopTokenIds(), m.stopStrings(), m.computeDtype(), m.json());
        try {
            Files.createDirectories(dir);
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve(ModelBundle.MANIFEST).toFile(),
                    renamed.toJson());
            SafetensorsWriter.write(dir.resolve(Checkpoint.SINGLE_FILE), all, DType.F32, Map.of("format", "pt"));
            for (String file : new String[] {ModelBundle.CONFIG, ModelBundle.TOKENIZER, ModelBundle.TOKENIZER_CONFIG}) {
                Path from = source.dir().resolve(file);
                if (Files.isRegularFile(from)) {
                    Files.copy(from, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write bundle " + dir, e);
        }
    }
}

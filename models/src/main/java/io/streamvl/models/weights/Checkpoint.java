package io.streamvl.models.weights;

import io.streamvl.models.ModelFormatException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the weights of a Hugging Face-layout directory, single-file or sharded. */
public final class Checkpoint {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String SHARD_INDEX = "model.safetensors.index.json";

    private Checkpoint() {}

    /**
     * {@code path} is a directory holding {@value #SHARD_INDEX} (preferred, as HF does) or
     * {@value #SINGLE_FILE}, or directly a {@code .safetensors} file or shard index.
     */
    public static TensorSource open(Path path) {
        if (Files.isRegularFile(path)) {
            return path.getFileName().toString().endsWith(".index.json")
                    ? ShardedCheckpoint.open(path)
                    : SafetensorsFile.open(path);
        }
        if (!Files.isDirectory(path)) {
            throw new ModelFormatException(path + ": no such checkpoint directory or file");
        }
        Path index = path.resolve(SHARD_INDEX);
        if (Files.isRegularFile(index)) {
            return ShardedCheckpoint.open(index);
        }
        Path single = path.resolve(SINGLE_FILE);
        if (Files.isRegularFile(single)) {
            return SafetensorsFile.open(single);
        }
        throw new ModelFormatException(path + ": no " + SINGLE_FILE + " or " + SHARD_INDEX
                + " (only safetensors checkpoints are supported; convert .bin/.pt files first)");
    }
}

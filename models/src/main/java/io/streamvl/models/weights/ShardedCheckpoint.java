package io.streamvl.models.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamvl.models.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A checkpoint split into shards by {@code model.safetensors.index.json}
 * ({@code {"metadata": {...}, "weight_map": {tensor: shard file}}}). Every shard is opened and every
 * listed tensor looked up on open, so a missing shard or tensor fails at load, not mid-inference.
 * Tensors present in a shard but not in the index are not exposed, as in Hugging Face loading.
 */
public final class ShardedCheckpoint implements TensorSource {
    private final Path index;
    private final Map<String, SafetensorsFile> tensorToShard;
    private final Map<String, SafetensorsFile> shards;
    private final JsonNode metadata;

    private ShardedCheckpoint(Path index, Map<String, SafetensorsFile> tensorToShard,
            Map<String, SafetensorsFile> shards, JsonNode metadata) {
        this.index = index;
        this.tensorToShard = tensorToShard;
        this.shards = shards;
        this.metadata = metadata;
    }

    public static ShardedCheckpoint open(Path indexFile) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(indexFile.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(indexFile + ": cannot read shard index: " + e.getMessage(), e);
        }
        JsonNode weightMap = root == null ? null : root.get("weight_map");
        if (weightMap == null || !weightMap.isObject()) {
            throw new ModelFormatException(indexFile + ": shard index has no \"weight_map\" object");
        }
        Path dir = indexFile.toAbsolutePath().getParent();
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        Map<String, SafetensorsFile> tensorToShard = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonNode> e : weightMap.properties()) {
                String tensor = e.getKey();
                if (!e.getValue().isTextual()) {
                    throw new ModelFormatException(indexFile + ": weight_map entry '" + tensor + "' is not a file name");
                }
                String shardName = e.getValue().textValue();
                SafetensorsFile shard = shards.get(shardName);
                if (shard == null) {
                    shard = openShard(indexFile, dir, shardName, tensor);
                    shards.put(shardName, shard);
                }
                if (shard.info(tensor) == null) {
                    throw new ModelFormatException(indexFile + ": tensor '" + tensor + "' is listed in shard '"
                            + shardName + "' but that shard does not contain it");
                }
                tensorToShard.put(tensor, shard);
            }
        } catch (RuntimeException e) {
            shards.values().forEach(SafetensorsFile::close);
            throw e;
        }
        return new ShardedCheckpoint(indexFile, Collections.unmodifiableMap(tensorToShard),
                Collections.unmodifiableMap(shards), root.path("metadata"));
    }

    private static SafetensorsFile openShard(Path indexFile, Path dir, String shardName, String firstTensor) {
        Path shardPath = dir.resolve(shardName).normalize();
        if (!shardPath.startsWith(dir)) {
            throw new ModelFormatException(indexFile + ": shard '" + shardName + "' lies outside the checkpoint directory");
        }
        if (!Files.isRegularFile(shardPath)) {
            throw new ModelFormatException(indexFile + ": shard file '" + shardName + "' (holding tensor '"
                    + firstTensor + "') is missing");
        }
        return SafetensorsFile.open(shardPath);
    }

    public Path indexFile() {
        return index;
    }

    /** The shard files, by their name in the index, in first-use order. */
    public Map<String, SafetensorsFile> shards() {
        return shards;
    }

    /** The index's {@code metadata} object (usually {@code total_size}); a missing node when absent. */
    public JsonNode metadata() {
        return metadata;
    }

    /** The mapped shard holding {@code name}, for {@link SafetensorsFile#buffer} access. */
    public SafetensorsFile shardOf(String name) {
        SafetensorsFile shard = tensorToShard.get(name);
        if (shard == null) {
            throw new ModelFormatException(index + ": no tensor '" + name + "'");
        }
        return shard;
    }

    @Override
    public Set<String> names() {
        return tensorToShard.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        SafetensorsFile shard = tensorToShard.get(name);
        return shard == null ? null : shard.info(name);
    }

    @Override
    public float[] floats(String name) {
        return shardOf(name).floats(name);
    }

    @Override
    public void close() {
        shards.values().forEach(SafetensorsFile::close);
    }

    @Override
    public String toString() {
        return "ShardedCheckpoint[" + index + ", " + shards.size() + " shards, " + tensorToShard.size() + " tensors]";
    }
}

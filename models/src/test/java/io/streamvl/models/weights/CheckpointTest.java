package io.streamvl.models.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamvl.models.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    private static final String INDEX = "{\"metadata\":{\"total_size\":28},\"weight_map\":{"
            + "\"a\":\"model-00001-of-00002.safetensors\","
            + "\"b\":\"model-00001-of-00002.safetensors\","
            + "\"c\":\"model-00002-of-00002.safetensors\"}}";

    @TempDir
    Path dir;

    private void writeShards() {
        SafetensorsWriter.write(dir.resolve("model-00001-of-00002.safetensors"),
                new InMemoryTensors().put("a", new float[] {1, 2}, 2).put("b", new float[] {3}, 1), DType.F32);
        SafetensorsWriter.write(dir.resolve("model-00002-of-00002.safetensors"),
                new InMemoryTensors().put("c", new float[] {4, 5, 6, 7}, 2, 2).put("unlisted", new float[] {0}),
                DType.BF16);
    }

    @Test
    void readsShardsListedInTheIndex() throws IOException {
        writeShards();
        Files.writeString(dir.resolve(Checkpoint.SHARD_INDEX), INDEX);
        try (TensorSource source = Checkpoint.open(dir)) {
            assertThat(source).isInstanceOf(ShardedCheckpoint.class);
            assertThat(source.names()).containsExactly("a", "b", "c");
            assertThat(source.floats("a")).containsExactly(1, 2);
            assertThat(source.floats("c")).containsExactly(4, 5, 6, 7);
            assertThat(source.info("c").dtype()).isEqualTo(DType.BF16);
            assertThat(source.info("unlisted")).isNull();
            ShardedCheckpoint sharded = (ShardedCheckpoint) source;
            assertThat(sharded.shards()).hasSize(2);
            assertThat(sharded.metadata().path("total_size").asLong()).isEqualTo(28);
            assertThat(sharded.shardOf("b").buffer("b").getFloat(0)).isEqualTo(3f);
        }
    }

    @Test
    void opensSingleFileAndPrefersTheIndex() throws IOException {
        SafetensorsWriter.write(dir.resolve(Checkpoint.SINGLE_FILE), new InMemoryTensors().put("z", new float[] {1}),
                DType.F32);
        try (TensorSource source = Checkpoint.open(dir)) {
            assertThat(source).isInstanceOf(SafetensorsFile.class);
            assertThat(source.names()).containsExactly("z");
        }
        writeShards();
        Files.writeString(dir.resolve(Checkpoint.SHARD_INDEX), INDEX);
        try (TensorSource source = Checkpoint.open(dir)) {
            assertThat(source.names()).containsExactly("a", "b", "c");
        }
        try (TensorSource source = Checkpoint.open(dir.resolve(Checkpoint.SINGLE_FILE))) {
            assertThat(source.names()).containsExactly("z");
        }
    }

    @Test
    void missingShardFileIsNamed() throws IOException {
        writeShards();
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        Files.writeString(dir.resolve(Checkpoint.SHARD_INDEX), INDEX);
        assertThatThrownBy(() -> Checkpoint.open(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(Checkpoint.SHARD_INDEX)
                .hasMessageContaining("shard file 'model-00002-of-00002.safetensors' (holding tensor 'c') is missing");
    }

    @Test
    void tensorMissingFromItsShardIsNamed() throws IOException {
        writeShards();
        Files.writeString(dir.resolve(Checkpoint.SHARD_INDEX),
                INDEX.replace("\"c\":\"model-00002", "\"c\":\"model-00001"));
        assertThatThrownBy(() -> Checkpoint.open(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("tensor 'c' is listed in shard 'model-00001-of-00002.safetensors' but that "
                        + "shard does not contain it");
    }

    @Test
    void malformedIndexAndEmptyDirectoryAreReported() throws IOException {
        assertThatThrownBy(() -> Checkpoint.open(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("no model.safetensors or model.safetensors.index.json");
        Files.writeString(dir.resolve(Checkpoint.SHARD_INDEX), "{\"metadata\":{}}");
        assertThatThrownBy(() -> Checkpoint.open(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("no \"weight_map\" object");
        Files.writeString(dir.resolve(Checkpoint.SHARD_INDEX), "{\"weight_map\":{\"a\":\"../x.safetensors\"}}");
        assertThatThrownBy(() -> Checkpoint.open(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("outside the checkpoint directory");
        Files.writeString(dir.resolve(Checkpoint.SHARD_INDEX), "{not json");
        assertThatThrownBy(() -> Checkpoint.open(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("cannot read shard index");
        assertThatThrownBy(() -> Checkpoint.open(dir.resolve("nope"))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("no such checkpoint");
    }

    @Test
    void inMemoryTensorsCheckShapesAndCopy() {
        InMemoryTensors t = new InMemoryTensors().put("x", new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertThatThrownBy(() -> t.put("y", new float[5], 2, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'y'").hasMessageContaining("needs 6 elements, got 5");
        t.floats("x")[0] = 99;
        assertThat(t.floats("x")[0]).isEqualTo(1f);
        assertThat(InMemoryTensors.copyOf(t).info("x").shape()).containsExactly(2, 3);
    }
}

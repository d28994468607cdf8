package io.streamvl.models.weights;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a checkpoint and reading one tensor must not pull the whole file into the heap. */
class MemoryMappingTest {
    private static final long BIG_BYTES = 300_000_000L;

    @Test
    void readsOneTensorOfALargeFileWithoutLoadingTheRest(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("large.safetensors");
        writeLargeFile(path);
        long before = usedHeap();
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertThat(file.floats("small")).containsExactly(1f, 2f, 3f, 4f);
            ByteBuffer big = file.buffer("big");
            assertThat(big.capacity()).isEqualTo(BIG_BYTES);
            assertThat(big.getFloat((int) BIG_BYTES - 4)).isEqualTo(-7f);
            assertThat(big.getFloat(123_456_788)).isZero();
            long grown = usedHeap() - before;
            assertThat(grown).as("heap growth in bytes").isLessThan(BIG_BYTES / 10);
        }
    }

    /** A sparse file: the big tensor is zeros except its last element, so writing it is cheap. */
    private static void writeLargeFile(Path path) throws IOException {
        long bigElements = BIG_BYTES / 4;
        String json = "{\"big\":{\"dtype\":\"F32\",\"shape\":[" + bigElements + "],\"data_offsets\":[0," + BIG_BYTES
                + "]},\"small\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[" + BIG_BYTES + ","
                + (BIG_BYTES + 16) + "]}}";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        long dataStart = 8 + header.length;
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            file.write(header);
            file.seek(dataStart + BIG_BYTES - 4);
            file.write(RawSafetensors.littleEndianFloats(-7f, 1f, 2f, 3f, 4f));
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}

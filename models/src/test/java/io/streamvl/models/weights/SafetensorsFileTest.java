package io.streamvl.models.weights;

import static io.streamvl.models.weights.RawSafetensors.littleEndianFloats;
import static io.streamvl.models.weights.RawSafetensors.littleEndianShorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamvl.models.ModelFormatException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {
    @TempDir
    Path dir;

    @Test
    void readsHandBuiltFileOfEveryFloatingDtype() throws IOException {
        ByteBuffer f64 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).putDouble(-1e300);
        byte[] data = concat(littleEndianFloats(1.5f, -2f), littleEndianShorts(0x3c00, 0x0001, 0xfc00),
                littleEndianShorts(0x3f80, 0xc0a0), f64.array());
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"f32\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"f16\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[8,14]},"
                + "\"bf16\":{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[14,18]},"
                + "\"f64\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[18,34]}}";
        try (SafetensorsFile file = SafetensorsFile.open(RawSafetensors.write(dir.resolve("a.safetensors"), header, data))) {
            assertThat(file.names()).containsExactly("f32", "f16", "bf16", "f64");
            assertThat(file.metadata()).containsExactly(Map.entry("format", "pt"));
            assertThat(file.info("bf16").shape()).containsExactly(1, 2);
            assertThat(file.info("nope")).isNull();
            assertThat(file.floats("f32")).containsExactly(1.5f, -2f);
            assertThat(file.floats("f16")).containsExactly(1f, 0x1p-24f, Float.NEGATIVE_INFINITY);
            assertThat(file.floats("bf16")).containsExactly(1f, -5f);
            assertThat(file.floats("f64")).containsExactly(0.1f, Float.NEGATIVE_INFINITY);
            ByteBuffer raw = file.buffer("f16");
            assertThat(raw.remaining()).isEqualTo(6);
            assertThat(raw.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
            assertThat(raw.getShort(2)).isEqualTo((short) 1);
            assertThat(raw.isReadOnly()).isTrue();
        }
    }

    @Test
    void writerProducesTheCanonicalLayout() throws IOException {
        InMemoryTensors tensors = new InMemoryTensors()
                .put("b", new float[] {1, 2, 3, 4, 5, 6}, 2, 3)
                .put("a", new float[] {7}, 1);
        Path path = dir.resolve("w.safetensors");
        SafetensorsWriter.write(path, tensors, DType.F32, Map.of("format", "pt"));
        byte[] bytes = Files.readAllBytes(path);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[4,28]}}";
        assertThat(headerLength % 8).isZero();
        assertThat(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8)).isEqualTo(json
                + " ".repeat((int) headerLength - json.length()));
        assertThat(bytes).hasSize(8 + (int) headerLength + 28);
        assertThat(Files.exists(dir.resolve("w.safetensors.tmp"))).isFalse();
    }

    @Test
    void roundTripsF32F16AndBf16WithExactConversions() {
        float[] values = {0f, -0f, 1f, -2.5f, 0.1f, 65504f, 65520f, 1e-8f, 0x1p-24f, 3e38f,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1 + 0x1p-11f, 1 + 0x1p-8f};
        InMemoryTensors tensors = new InMemoryTensors().put("x", values, 3, 5).put("y", new float[] {42f});
        for (DType dtype : new DType[] {DType.F32, DType.F16, DType.BF16}) {
            Path path = dir.resolve(dtype + ".safetensors");
            SafetensorsWriter.write(path, tensors, dtype);
            try (SafetensorsFile file = SafetensorsFile.open(path)) {
                assertThat(file.info("x").dtype()).isEqualTo(dtype);
                assertThat(file.info("x").shape()).containsExactly(3, 5);
                assertThat(file.info("y").shape()).isEmpty();
                float[] back = file.floats("x");
                for (int i = 0; i < values.length; i++) {
                    assertThat(Float.floatToIntBits(back[i])).as("%s element %d", dtype, i)
                            .isEqualTo(Float.floatToIntBits(HalfFloats.round(values[i], dtype)));
                }
                assertThat(file.metadata()).isEmpty();
            }
        }
        float[] f16 = readBack(DType.F16, tensors);
        assertThat(f16[6]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(f16[7]).isEqualTo(0x1p-24f * Math.round(1e-8f / 0x1p-24f));
        assertThat(f16[9]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(f16[13]).isEqualTo(1f);
        assertThat(Float.floatToRawIntBits(f16[1])).isEqualTo(0x80000000);
        float[] bf16 = readBack(DType.BF16, tensors);
        assertThat(bf16[5]).isEqualTo(65536f);
        assertThat(bf16[14]).isEqualTo(1f);
        assertThat(bf16[12]).isNaN();
    }

    private float[] readBack(DType dtype, TensorSource tensors) {
        try (SafetensorsFile file = SafetensorsFile.open(dir.resolve(dtype + ".safetensors"))) {
            return file.floats("x");
        }
    }

    @Test
    void readsTensorsLargerThanOneMappingWindow() {
        float[] values = new float[1001];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f;
        }
        Path path = dir.resolve("windows.safetensors");
        SafetensorsWriter.write(path, new InMemoryTensors().put("a", new float[] {9}).put("x", values, 7, 143),
                DType.BF16);
        try (SafetensorsFile file = SafetensorsFile.open(path, 24)) {
            float[] back = file.floats("x");
            for (int i = 0; i < values.length; i++) {
                assertThat(back[i]).isEqualTo(HalfFloats.round(values[i], DType.BF16));
            }
        }
    }

    @Test
    void refusesNonFloatingAndMissingTensors() throws IOException {
        Path path = RawSafetensors.write(dir.resolve("i.safetensors"),
                "{\"ids\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]);
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertThat(file.buffer("ids").remaining()).isEqualTo(4);
            assertThatThrownBy(() -> file.floats("ids")).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("i.safetensors").hasMessageContaining("'ids' is I32, not floating point");
            assertThatThrownBy(() -> file.floats("other")).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("no tensor 'other'");
        }
    }

    @Test
    void closedFileRefusesReads() {
        Path path = dir.resolve("c.safetensors");
        SafetensorsWriter.write(path, new InMemoryTensors().put("x", new float[] {1}), DType.F32);
        SafetensorsFile file = SafetensorsFile.open(path);
        file.close();
        assertThatThrownBy(() -> file.floats("x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void rejectsTooShortFile() throws IOException {
        Path path = Files.write(dir.resolve("short.safetensors"), new byte[5]);
        assertThatThrownBy(() -> SafetensorsFile.open(path)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("short.safetensors").hasMessageContaining("too short");
    }

    @Test
    void rejectsHeaderLongerThanFile() throws IOException {
        Path path = RawSafetensors.write(dir.resolve("h.safetensors"), 1000, "{}".getBytes(), new byte[0]);
        assertThatThrownBy(() -> SafetensorsFile.open(path)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("h.safetensors").hasMessageContaining("header length 1000 is absurd");
    }

    @Test
    void rejectsNegativeHeaderLength() throws IOException {
        Path path = RawSafetensors.write(dir.resolve("n.safetensors"), -1, "{}".getBytes(), new byte[0]);
        assertThatThrownBy(() -> SafetensorsFile.open(path)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("header length 18446744073709551615 is absurd");
    }

    @Test
    void rejectsHeaderAbove100MbEvenWhenTheFileIsLarger() throws IOException {
        Path path = dir.resolve("big-header.safetensors");
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(150_000_000L).array());
            file.setLength(200_000_000L);
        }
        assertThatThrownBy(() -> SafetensorsFile.open(path)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("header length 150000000 is absurd");
    }

    @Test
    void rejectsHeaderThatIsNotJson() throws IOException {
        assertRejected("GGUF\u0003 not json at all", new byte[0], "not valid JSON");
        assertRejected("[1,2]", new byte[0], "not a JSON object");
        assertRejected("{\"a\":1,\"a\":2}", new byte[0], "not valid JSON");
    }

    @Test
    void rejectsIncompleteEntries() throws IOException {
        assertRejected("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4], "tensor 'w': missing dtype");
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", new byte[4], "tensor 'w': missing shape");
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[4], "tensor 'w': missing data_offsets");
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", new byte[4],
                "data_offsets must be an array of 2 integers");
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4],
                "shape must hold non-negative integers");
        assertRejected("{\"w\":[1]}", new byte[4], "tensor 'w': header entry is not an object");
        assertRejected("{\"__metadata__\":{\"n\":3}}", new byte[0], "value of 'n' is not a string");
    }

    @Test
    void rejectsUnknownDtype() throws IOException {
        assertRejected("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1],
                "tensor 'w': unknown dtype 'F8_E4M3'");
    }

    @Test
    void rejectsBadOffsets() throws IOException {
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[4],
                "tensor 'w': data_offsets [0, 8] run past the end of the data section (4 bytes)");
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", new byte[8], "reversed");
        assertRejected("{\"w\":{\"dtype\":\"F16\",\"shape\":[3,2],\"data_offsets\":[0,8]}}", new byte[8],
                "tensor 'w': data_offsets [0, 8] hold 8 bytes but F16[3, 2] needs 12");
        assertRejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12],
                "tensors 'a' [0, 8] and 'b' [4, 12] overlap");
        assertRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}",
                new byte[8], "absurdly large");
    }

    private void assertRejected(String header, byte[] data, String message) throws IOException {
        Path path = RawSafetensors.write(dir.resolve("bad.safetensors"), header, data);
        assertThatThrownBy(() -> SafetensorsFile.open(path)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("bad.safetensors").hasMessageContaining(message);
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer out = ByteBuffer.allocate(java.util.Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            out.put(p);
        }
        return out.array();
    }
}

package io.streamvl.models.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.models.ModelFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes tensors as one safetensors file in the reference implementation's canonical layout:
 * {@code __metadata__} first, tensors sorted by name and packed without gaps, the header padded with
 * spaces to a multiple of 8 bytes so every tensor starts 8-byte aligned. The file appears atomically
 * (written beside, then moved), so a crash never leaves a half-written checkpoint under the real name.
 */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK_ELEMENTS = 1 << 20;

    private SafetensorsWriter() {}

    public static void write(Path file, TensorSource tensors, DType dtype) {
        write(file, tensors, dtype, Map.of());
    }

    /**
     * @param dtype F32, F16 or BF16, for every tensor; narrowing rounds to nearest even
     * @param metadata stored under {@code __metadata__}; omitted when empty
     */
    public static void write(Path file, TensorSource tensors, DType dtype, Map<String, String> metadata) {
        if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
            throw new IllegalArgumentException("can write F32, F16 or BF16, not " + dtype);
        }
        Map<String, TensorInfo> sorted = new TreeMap<>();
        for (String name : tensors.names()) {
            TensorInfo info = tensors.info(name);
            if (!info.dtype().isFloating()) {
                throw new ModelFormatException("cannot write tensor '" + name + "': it is " + info.dtype()
                        + ", and only floating tensors are converted");
            }
            sorted.put(name, info);
        }
        byte[] header = header(sorted, dtype, metadata);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(out, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length));
                writeFully(out, ByteBuffer.wrap(header));
                ByteBuffer chunk = ByteBuffer.allocate(CHUNK_ELEMENTS * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
                for (String name : sorted.keySet()) {
                    writeTensor(out, tensors.floats(name), dtype, chunk);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static byte[] header(Map<String, TensorInfo> tensors, DType dtype, Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafetensorsHeader.METADATA_KEY);
            new TreeMap<>(metadata).forEach(meta::put);
        }
        long offset = 0;
        for (TensorInfo info : tensors.values()) {
            long end = offset + info.elements() * dtype.bytes();
            ObjectNode entry = root.putObject(info.name());
            entry.put("dtype", dtype.name());
            ArrayNode shape = entry.putArray("shape");
            for (long d : info.shape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int padding = (8 - json.length % 8) % 8;
        byte[] padded = new byte[json.length + padding];
        System.arraycopy(json, 0, padded, 0, json.length);
        Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        return padded;
    }

    private static void writeTensor(FileChannel out, float[] values, DType dtype, ByteBuffer chunk) throws IOException {
        for (int start = 0; start < values.length; start += CHUNK_ELEMENTS) {
            int end = Math.min(values.length, start + CHUNK_ELEMENTS);
            chunk.clear();
            for (int i = start; i < end; i++) {
                switch (dtype) {
                    case F16:
                        chunk.putShort(HalfFloats.floatToF16(values[i]));
                        break;
                    case BF16:
                        chunk.putShort(HalfFloats.floatToBf16(values[i]));
                        break;
                    default:
                        chunk.putFloat(values[i]);
                }
            }
            chunk.flip();
            writeFully(out, chunk);
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }
}

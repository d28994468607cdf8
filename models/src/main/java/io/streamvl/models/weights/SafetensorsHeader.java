package io.streamvl.models.weights;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamvl.models.ModelFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated JSON header of a safetensors file. Validation is strict because the
 * header drives memory mapping: a bad offset must become a message, never a wrong read or a crash.
 */
final class SafetensorsHeader {
    static final String METADATA_KEY = "__metadata__";
    /** The reference implementation refuses larger headers too; a bigger one means a corrupt length. */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** A tensor's place in the data section, offsets relative to the end of the header. */
    record Entry(TensorInfo info, long begin, long end) {
        long bytes() {
            return end - begin;
        }
    }

    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafetensorsHeader(Map<String, Entry> entries, Map<String, String> metadata) {
        this.entries = entries;
        this.metadata = metadata;
    }

    Map<String, Entry> entries() {
        return entries;
    }

    Map<String, String> metadata() {
        return metadata;
    }

    static SafetensorsHeader parse(String file, byte[] headerBytes, long dataBytes) {
        JsonNode root;
        try {
            root = JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file + ": safetensors header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(file + ": safetensors header is not a JSON object");
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = Map.of();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(file, field.getValue());
            } else {
                entries.put(field.getKey(), parseEntry(file, field.getKey(), field.getValue(), dataBytes));
            }
        }
        checkNoOverlap(file, entries.values());
        return new SafetensorsHeader(Collections.unmodifiableMap(entries), metadata);
    }

    private static Map<String, String> parseMetadata(String file, JsonNode node) {
        if (!node.isObject()) {
            throw new ModelFormatException(file + ": " + METADATA_KEY + " must be an object of strings");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                throw new ModelFormatException(
                        file + ": " + METADATA_KEY + " value of '" + field.getKey() + "' is not a string");
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static Entry parseEntry(String file, String name, JsonNode node, long dataBytes) {
        String where = file + ": tensor '" + name + "'";
        if (!node.isObject()) {
            throw new ModelFormatException(where + ": header entry is not an object");
        }
        DType dtype = parseDType(where, node.get("dtype"));
        long[] shape = parseLongs(where, node.get("shape"), "shape", -1);
        long[] offsets = parseLongs(where, node.get("data_offsets"), "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw new ModelFormatException(where + ": data_offsets [" + begin + ", " + end + "] are reversed");
        }
        if (end > dataBytes) {
            throw new ModelFormatException(where + ": data_offsets [" + begin + ", " + end
                    + "] run past the end of the data section (" + dataBytes + " bytes); the file is truncated");
        }
        TensorInfo info = new TensorInfo(name, dtype, shape);
        long expected = byteSize(where, dtype, shape);
        if (end - begin != expected) {
            throw new ModelFormatException(where + ": data_offsets [" + begin + ", " + end + "] hold " + (end - begin)
                    + " bytes but " + dtype + Arrays.toString(shape) + " needs " + expected);
        }
        return new Entry(info, begin, end);
    }

    private static long byteSize(String where, DType dtype, long[] shape) {
        try {
            long bytes = dtype.bytes();
            for (long d : shape) {
                bytes = Math.multiplyExact(bytes, d);
            }
            return bytes;
        } catch (ArithmeticException e) {
            throw new ModelFormatException(where + ": shape " + Arrays.toString(shape) + " is absurdly large");
        }
    }

    private static DType parseDType(String where, JsonNode node) {
        if (node == null || !node.isTextual()) {
            throw new ModelFormatException(where + ": missing dtype");
        }
        try {
            return DType.valueOf(node.textValue());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(where + ": unknown dtype '" + node.textValue() + "'");
        }
    }

    /** {@code length} -1 accepts any length. Elements must be non-negative integers. */
    private static long[] parseLongs(String where, JsonNode node, String key, int length) {
        if (node == null) {
            throw new ModelFormatException(where + ": missing " + key);
        }
        if (!node.isArray() || (length >= 0 && node.size() != length)) {
            throw new ModelFormatException(where + ": " + key + " must be an array"
                    + (length >= 0 ? " of " + length + " integers" : " of integers") + ", got " + node);
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new ModelFormatException(where + ": " + key + " must hold non-negative integers, got " + node);
            }
            values[i] = v.longValue();
        }
        return values;
    }

    private static void checkNoOverlap(String file, Iterable<Entry> entries) {
        List<Entry> sorted = new ArrayList<>();
        entries.forEach(sorted::add);
        sorted.removeIf(e -> e.bytes() == 0);
        sorted.sort(Comparator.comparingLong(Entry::begin));
        for (int i = 1; i < sorted.size(); i++) {
            Entry previous = sorted.get(i - 1);
            Entry current = sorted.get(i);
            if (current.begin() < previous.end()) {
                throw new ModelFormatException(file + ": tensors '" + previous.info().name() + "' [" + previous.begin()
                        + ", " + previous.end() + "] and '" + current.info().name() + "' [" + current.begin() + ", "
                        + current.end() + "] overlap");
            }
        }
    }
}

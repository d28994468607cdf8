package io.streamvl.models.bundle;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.weights.DType;
import io.streamvl.models.weights.TensorInfo;
import io.streamvl.models.weights.TensorSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What {@code streamvl model info} shows about a bundle: identity, the decoder config, and counts
 * over all stored tensors (vision parts included). Reading it touches only headers, not weights.
 *
 * @param dtypes tensor count per stored dtype
 * @param totalBytes bytes of tensor data, headers excluded
 * @param files the directory's regular files, by name, with sizes
 */
public record BundleInfo(Path dir, ModelManifest manifest, LlamaConfig config, int tensorCount, long parameterCount,
        Map<DType, Integer> dtypes, long totalBytes, List<FileEntry> files) {
    public record FileEntry(String name, long bytes) {}

    public static BundleInfo of(ModelBundle bundle) {
        TensorSource weights = bundle.weights();
        Map<DType, Integer> dtypes = new EnumMap<>(DType.class);
        long parameters = 0;
        long bytes = 0;
        for (String name : weights.names()) {
            TensorInfo info = weights.info(name);
            dtypes.merge(info.dtype(), 1, Integer::sum);
            parameters += info.elements();
            bytes += info.elements() * info.dtype().bytes();
        }
        return new BundleInfo(bundle.dir(), bundle.manifest(), bundle.llamaConfig(), weights.names().size(), parameters,
                dtypes, bytes, listFiles(bundle.dir()));
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("dir", dir.toString());
        json.set("manifest", manifest.toJson());
        ObjectNode c = json.putObject("config");
        c.put("vocabSize", config.vocabSize());
        c.put("hiddenSize", config.hiddenSize());
        c.put("intermediateSize", config.intermediateSize());
        c.put("numLayers", config.numLayers());
        c.put("numHeads", config.numHeads());
        c.put("numKvHeads", config.numKvHeads());
        c.put("headDim", config.headDim());
        c.put("rmsNormEps", config.rmsNormEps());
        c.put("ropeTheta", config.ropeTheta());
        if (config.ropeScaling() != null) {
            ObjectNode r = c.putObject("ropeScaling");
            r.put("type", config.ropeScaling().type());
            r.put("factor", config.ropeScaling().factor());
            r.put("lowFreqFactor", config.ropeScaling().lowFreqFactor());
            r.put("highFreqFactor", config.ropeScaling().highFreqFactor());
            r.put("originalMaxPositionEmbeddings", config.ropeScaling().originalMaxPositionEmbeddings());
        }
        c.put("tieWordEmbeddings", config.tieWordEmbeddings());
        c.put("maxPositionEmbeddings", config.maxPositionEmbeddings());
        c.put("bosTokenId", config.bosTokenId());
        config.eosTokenIds().forEach(c.putArray("eosTokenIds")::add);
        ObjectNode w = json.putObject("weights");
        w.put("tensors", tensorCount);
        w.put("parameters", parameterCount);
        w.put("bytes", totalBytes);
        ObjectNode d = w.putObject("dtypes");
        dtypes.forEach((dtype, n) -> d.put(dtype.name(), n));
        ObjectNode f = json.putObject("files");
        files.forEach(file -> f.put(file.name(), file.bytes()));
        return json;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append("bundle        ").append(dir).append('\n');
        s.append("architecture  ").append(manifest.architecture().id());
        if (manifest.name() != null) {
            s.append(" (").append(manifest.name()).append(')');
        }
        s.append('\n');
        s.append("prompt        ").append(manifest.promptTemplate()).append(", stop tokens ")
                .append(manifest.stopTokenIds()).append(", compute ").append(manifest.computeDtype()).append('\n');
        s.append("decoder       ").append(config.numLayers()).append(" layers, hidden ").append(config.hiddenSize())
                .append(", mlp ").append(config.intermediateSize()).append(", heads ").append(config.numHeads())
                .append(" (kv ").append(config.numKvHeads()).append(", dim ").append(config.headDim())
                .append("), vocab ").append(config.vocabSize()).append('\n');
        s.append("rope          theta ").append(fmt(config.ropeTheta()));
        if (config.ropeScaling() != null) {
            s.append(", ").append(config.ropeScaling().type()).append(" x").append(fmt(config.ropeScaling().factor()));
        }
        s.append(", max positions ").append(config.maxPositionEmbeddings())
                .append(config.tieWordEmbeddings() ? ", tied embeddings" : "").append('\n');
        s.append("weights       ").append(tensorCount).append(" tensors, ").append(humanCount(parameterCount))
                .append(" parameters, ").append(humanBytes(totalBytes)).append(", ").append(dtypes).append('\n');
        s.append("files");
        for (FileEntry file : files) {
            s.append(String.format(Locale.ROOT, "%n  %-40s %10s", file.name(), humanBytes(file.bytes())));
        }
        return s.toString();
    }

    private static List<FileEntry> listFiles(Path dir) {
        List<FileEntry> files = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries.sorted()::iterator) {
                if (Files.isRegularFile(p)) {
                    files.add(new FileEntry(p.getFileName().toString(), Files.size(p)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return files;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    static String humanCount(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2fB", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.2fM", n / 1e6);
        }
        if (n >= 1_000L) {
            return String.format(Locale.ROOT, "%.1fK", n / 1e3);
        }
        return String.valueOf(n);
    }

    static String humanBytes(long n) {
        if (n >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", n / (double) (1L << 30));
        }
        if (n >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1L << 20));
        }
        if (n >= 1L << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return n + " B";
    }
}

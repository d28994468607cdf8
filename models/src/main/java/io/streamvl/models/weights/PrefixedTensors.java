package io.streamvl.models.weights;

import io.streamvl.models.ModelFormatException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A view that renames tensors by prefix, e.g. LLaVA's {@code language_model.model.layers.0...} seen
 * as {@code model.layers.0...}, so a decoder always reads plain names. Tensors under none of the
 * stored prefixes (a vision tower, a projector) are hidden. The view does not own the source:
 * closing it leaves the source open.
 */
public final class PrefixedTensors implements TensorSource {
    private final TensorSource source;
    private final Map<String, String> plainToStored;

    /** @param plainToStoredPrefix e.g. {@code "model." -> "language_model.model."}; checked in order */
    public PrefixedTensors(TensorSource source, Map<String, String> plainToStoredPrefix) {
        this.source = source;
        Map<String, String> names = new LinkedHashMap<>();
        for (String stored : source.names()) {
            for (Map.Entry<String, String> prefix : plainToStoredPrefix.entrySet()) {
                if (stored.startsWith(prefix.getValue())) {
                    names.putIfAbsent(prefix.getKey() + stored.substring(prefix.getValue().length()), stored);
                    break;
                }
            }
        }
        this.plainToStored = Collections.unmodifiableMap(names);
    }

    /** The name under which {@code plainName} is stored in the source, or null. */
    public String storedName(String plainName) {
        return plainToStored.get(plainName);
    }

    /** The name under which a view's tensor is stored: renamed if the view is a {@code PrefixedTensors}. */
    public static String storedName(TensorSource view, String name) {
        return view instanceof PrefixedTensors prefixed ? prefixed.storedName(name) : name;
    }

    @Override
    public Set<String> names() {
        return plainToStored.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        String stored = plainToStored.get(name);
        if (stored == null) {
            return null;
        }
        TensorInfo info = source.info(stored);
        return new TensorInfo(name, info.dtype(), info.shape());
    }

    @Override
    public float[] floats(String name) {
        String stored = plainToStored.get(name);
        if (stored == null) {
            throw new ModelFormatException("no tensor '" + name + "' in the renamed view");
        }
        return source.floats(stored);
    }
}

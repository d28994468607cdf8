package io.streamvl.models.llavamini;

import io.streamvl.models.ModelFormatException;
import io.streamvl.models.weights.TensorInfo;
import io.streamvl.models.weights.TensorSource;
import java.util.Arrays;

/**
 * The tensor names of LLaVA-Mini's compressor ({@code Resampler} in {@code llavamini_arch.py}, reached as
 * {@code model.compressor.*} in the HF checkpoint), relative to a configurable prefix:
 * {@code query [C², Dv]}, {@code pos_embed [C², Dv]} (frozen sin-cos; optional, recomputed when absent),
 * {@code ln_q.weight/bias} and {@code ln_kv.weight/bias [Dv]}, and {@code nn.MultiheadAttention}'s
 * packed {@code attn.in_proj_weight [3Dv, Dv]} (rows q, k, v), {@code attn.in_proj_bias [3Dv]},
 * {@code attn.out_proj.weight [Dv, Dv]}, {@code attn.out_proj.bias [Dv]}. A {@code kv_proj} (only present
 * when the feature width differs from Dv) is rejected.
 */
public final class CompressorWeights {
    public static final String DEFAULT_PREFIX = "model.compressor.";
    public static final String QUERY = "query";
    public static final String POS_EMBED = "pos_embed";
    public static final String LN_Q = "ln_q.";
    public static final String LN_KV = "ln_kv.";
    public static final String IN_PROJ_WEIGHT = "attn.in_proj_weight";
    public static final String IN_PROJ_BIAS = "attn.in_proj_bias";
    public static final String OUT_PROJ = "attn.out_proj.";

    private CompressorWeights() {}

    /** The compressor's shape read from {@code prefix + "query"}: C (grid side) and Dv. */
    record Dims(int gridSide, int width) {
        int queries() {
            return gridSide * gridSide;
        }
    }

    /** Checks every tensor against the query's shape, so a bad checkpoint fails before any TF work. */
    static Dims check(TensorSource source, String prefix) {
        TensorInfo query = source.info(prefix + QUERY);
        if (query == null) {
            throw new ModelFormatException("missing tensor " + prefix + QUERY + " (the compressor's learned queries)");
        }
        if (query.shape().length != 2) {
            throw new ModelFormatException("tensor " + prefix + QUERY + " has shape " + Arrays.toString(query.shape())
                    + ", expected [C*C, width]");
        }
        int queries = Math.toIntExact(query.shape()[0]);
        int side = (int) Math.round(Math.sqrt(queries));
        if (side * side != queries) {
            throw new ModelFormatException("tensor " + prefix + QUERY + " holds " + queries
                    + " queries, not a square grid");
        }
        long d = query.shape()[1];
        if (source.info(prefix + "kv_proj.weight") != null) {
            throw new ModelFormatException("tensor " + prefix + "kv_proj.weight: a compressor with a kv projection is not supported");
        }
        if (source.info(prefix + POS_EMBED) != null) {
            expect(source, prefix + POS_EMBED, queries, d);
        }
        for (String ln : new String[] {LN_Q, LN_KV}) {
            expect(source, prefix + ln + "weight", d);
            expect(source, prefix + ln + "bias", d);
        }
        expect(source, prefix + IN_PROJ_WEIGHT, 3 * d, d);
        expect(source, prefix + IN_PROJ_BIAS, 3 * d);
        expect(source, prefix + OUT_PROJ + "weight", d, d);
        expect(source, prefix + OUT_PROJ + "bias", d);
        return new Dims(side, Math.toIntExact(d));
    }

    private static void expect(TensorSource source, String name, long... shape) {
        TensorInfo info = source.info(name);
        if (info == null) {
            throw new ModelFormatException("missing tensor " + name + " (expected shape " + Arrays.toString(shape) + ")");
        }
        if (!info.hasShape(shape)) {
            throw new ModelFormatException("tensor " + name + " has shape " + Arrays.toString(info.shape())
                    + ", the compressor needs " + Arrays.toString(shape));
        }
    }
}

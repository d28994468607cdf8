package io.streamvl.models.llama;

import io.streamvl.models.ModelFormatException;
import io.streamvl.models.weights.TensorSource;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/**
 * A LLaMA decoder ({@code LlamaForCausalLM} semantics, float32) running in TensorFlow, with a KV
 * cache of {@link DecoderOptions#maxBatch()} rows of {@link #contextLength()} slots.
 *
 * <p>Cache protocol: {@link #prefill} resets rows {@code 0..batch-1} and writes the prompt into
 * slots {@code 0..len-1} (column j of the input goes to slot j); each {@link #decode} call writes one
 * token per row at the slot the caller names and attends over every slot the row has marked real.
 * Padding columns (mask 0) are never attended to, so left- or right-padded batches give each
 * sequence its unbatched logits. Not thread-safe: one caller drives a model at a time.
 */
public final class LlamaModel implements AutoCloseable {
    private final LlamaConfig config;
    private final DecoderOptions options;
    private final int contextLength;
    private final LlamaGraph g;
    private final Session session;
    private long runNanos;

    private LlamaModel(LlamaConfig config, DecoderOptions options, int contextLength, LlamaGraph g, Session session) {
        this.config = config;
        this.options = options;
        this.contextLength = contextLength;
        this.g = g;
        this.session = session;
    }

    /**
     * Builds the graph and copies the weights into its variables, one tensor at a time so at most one
     * weight is held twice in memory.
     *
     * @throws ModelFormatException when a tensor is missing or misshapen (before any TF work)
     */
    public static LlamaModel load(LlamaConfig config, TensorSource weights, DecoderOptions options) {
        validate(config);
        List<WeightLayout.Slot> slots = WeightLayout.plan(config, weights);
        int contextLength = Math.min(options.maxCacheLength(), config.maxPositionEmbeddings());
        LlamaGraph graph = new LlamaGraph(config, slots, options, contextLength);
        Session session = null;
        try {
            session = new Session(graph.graph, options.sessionConfig());
            graph.vars.load(session, weights);
            session.runner().addTarget(graph.cacheInit).run().close();
            return new LlamaModel(config, options, contextLength, graph, session);
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            graph.graph.close();
            throw e;
        }
    }

    static void validate(LlamaConfig c) {
        if (c.numHeads() % c.numKvHeads() != 0) {
            throw new ModelFormatException("num_attention_heads " + c.numHeads()
                    + " is not a multiple of num_key_value_heads " + c.numKvHeads());
        }
        if (c.headDim() % 2 != 0) {
            throw new ModelFormatException("head_dim " + c.headDim() + " must be even for rotary embeddings");
        }
    }

    public LlamaConfig config() {
        return config;
    }

    public DecoderOptions options() {
        return options;
    }

    /** Slots per cache row: prompt plus generated tokens of one sequence can't exceed this. */
    public int contextLength() {
        return contextLength;
    }

    public int maxBatch() {
        return options.maxBatch();
    }

    /** Token embeddings {@code [batch][len][hidden]}; rows may differ in length. */
    public float[][][] embed(int[][] ids) {
        float[][][] out = new float[ids.length][][];
        for (int b = 0; b < ids.length; b++) {
            float[] flat = embedFlat(ids[b]);
            out[b] = new float[ids[b].length][];
            for (int j = 0; j < ids[b].length; j++) {
                out[b][j] = Arrays.copyOfRange(flat, j * config.hiddenSize(), (j + 1) * config.hiddenSize());
            }
        }
        return out;
    }

    /** Embeddings of one sequence, row-major {@code [len * hidden]}. */
    public float[] embedFlat(int[] ids) {
        checkIds(ids);
        try (TInt32 t = TInt32.tensorOf(Shape.of(1, ids.length), DataBuffers.of(ids, true, false));
                Result r = session.runner().feed(g.embedIds, t).fetch(g.embedOut).run()) {
            return read((TFloat32) r.get(0), ids.length * config.hiddenSize());
        }
    }

    /** Logits of the token after {@code ids} (one unpadded sequence, positions 0..len-1). */
    public float[] lastLogits(int[] ids) {
        int[][] pos = {PrefillBatch.range(0, ids.length)};
        int[][] mask = {PrefillBatch.ones(ids.length)};
        return prefill(new int[][] {ids}, pos, mask)[0];
    }

    /**
     * Prefills rows {@code 0..batch-1} from token ids; returns each row's logits after its last real
     * (mask 1) token, {@code [batch][vocab]}.
     *
     * @param ids {@code [batch][len]}, padding columns hold any valid id
     * @param positions rotary position of each column
     * @param mask 1 for a real token, 0 for padding
     */
    public float[][] prefill(int[][] ids, int[][] positions, int[][] mask) {
        PrefillBatch batch = PrefillBatch.of(ids.length, ids.length == 0 ? 0 : ids[0].length, positions, mask, this);
        for (int[] row : ids) {
            checkIds(row);
        }
        try (TInt32 idT = batch.ints(ids)) {
            return runPrefill(batch, g.prefillIds, idT, g.prefillLastLogits);
        }
    }

    /** As {@link #prefill(int[][], int[][], int[][])} from input embeddings {@code [batch][len][hidden]}. */
    public float[][] prefillEmbeddings(float[][][] embeddings, int[][] positions, int[][] mask) {
        PrefillBatch batch = PrefillBatch.of(embeddings.length, embeddings.length == 0 ? 0 : embeddings[0].length,
                positions, mask, this);
        try (TFloat32 x = batch.embeddings(embeddings, config.hiddenSize())) {
            return runPrefill(batch, g.prefillInput, x, g.prefillLastLogits);
        }
    }

    /**
     * Logits at every column {@code [batch][len][vocab]}, for inspection and tests; also fills the cache
     * like {@link #prefill}.
     */
    public float[][][] prefillAllLogits(int[][] ids, int[][] positions, int[][] mask) {
        PrefillBatch batch = PrefillBatch.of(ids.length, ids.length == 0 ? 0 : ids[0].length, positions, mask, this);
        for (int[] row : ids) {
            checkIds(row);
        }
        try (TInt32 idT = batch.ints(ids)) {
            float[][] flat = runPrefill(batch, g.prefillIds, idT, g.prefillAllLogits);
            float[][][] out = new float[batch.size()][batch.length()][];
            for (int b = 0; b < batch.size(); b++) {
                for (int j = 0; j < batch.length(); j++) {
                    out[b][j] = Arrays.copyOfRange(flat[b], j * config.vocabSize(), (j + 1) * config.vocabSize());
                }
            }
            return out;
        }
    }

    private <T extends TType> float[][] runPrefill(PrefillBatch batch,
            Operand<T> input, T inputTensor, Operand<TFloat32> fetch) {
        try (TInt32 pos = batch.ints(batch.positions());
                TInt32 mask = batch.ints(batch.mask());
                Result r = timed(session.runner().feed(input, inputTensor).feed(g.prefillPositions, pos)
                        .feed(g.prefillMask, mask).fetch(fetch).addTarget(g.prefillWrites))) {
            return rows((TFloat32) r.get(0), batch.size());
        }
    }

    /**
     * One decode step: row b takes token {@code ids[b]} at rotary position {@code positions[b]},
     * stored in cache slot {@code slots[b]}; returns the next-token logits {@code [batch][vocab]}.
     * Rows must have been prefilled in the same batch layout.
     */
    public float[][] decode(int[] ids, int[] positions, int[] slots) {
        int n = ids.length;
        if (n < 1 || n > options.maxBatch() || positions.length != n || slots.length != n) {
            throw new IllegalArgumentException("decode batch of " + n + " ids, " + positions.length + " positions, "
                    + slots.length + " slots; max batch " + options.maxBatch());
        }
        checkIds(ids);
        for (int s : slots) {
            if (s < 0 || s >= contextLength) {
                throw new IllegalArgumentException("cache slot " + s + " outside the context of " + contextLength);
            }
        }
        try (TInt32 idT = TInt32.vectorOf(ids);
                TInt32 posT = TInt32.vectorOf(positions);
                TInt32 slotT = TInt32.vectorOf(slots);
                Result r = timed(session.runner().feed(g.decodeIds, idT).feed(g.decodePositions, posT)
                        .feed(g.decodeSlots, slotT).fetch(g.decodeLogits))) {
            return rows((TFloat32) r.get(0), n);
        }
    }

    /** Time spent inside {@code Session.run} since load, for overhead accounting. */
    long runNanos() {
        return runNanos;
    }

    private Result timed(Session.Runner runner) {
        long t0 = System.nanoTime();
        Result r = runner.run();
        runNanos += System.nanoTime() - t0;
        return r;
    }

    private void checkIds(int[] ids) {
        for (int id : ids) {
            if (id < 0 || id >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + config.vocabSize());
            }
        }
    }

    private static float[] read(TFloat32 t, int n) {
        float[] out = new float[n];
        t.asRawTensor().data().asFloats().read(out);
        return out;
    }

    private static float[][] rows(TFloat32 t, int n) {
        float[] flat = read(t, (int) t.shape().size());
        int width = flat.length / n;
        float[][] out = new float[n][];
        for (int b = 0; b < n; b++) {
            out[b] = Arrays.copyOfRange(flat, b * width, (b + 1) * width);
        }
        return out;
    }

    @Override
    public void close() {
        session.close();
        g.graph.close();
    }
}

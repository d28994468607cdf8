package io.streamvl.models.llama;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Autoregressive generation on a {@link LlamaModel}: one prefill of the right-padded prompts, then one
 * decode step per token for all unfinished sequences together. Each sequence keeps its own
 * positions ({@code 0..}) and cache slots, so its tokens equal those of generating it alone.
 * More prompts than the model's max batch are generated in consecutive batches.
 */
public final class Generator {
    private final LlamaModel model;

    public Generator(LlamaModel model) {
        this.model = model;
    }

    public GenerationResult generate(Prompt prompt, GenerationConfig config) {
        return generate(List.of(prompt), config, TokenListener.NONE).get(0);
    }

    /**
     * @throws IllegalArgumentException when a prompt is empty or does not fit the context, before anything runs
     */
    public List<GenerationResult> generate(List<Prompt> prompts, GenerationConfig config, TokenListener listener) {
        for (int i = 0; i < prompts.size(); i++) {
            int len = prompts.get(i).length();
            if (len < 1 || len > model.contextLength()) {
                throw new IllegalArgumentException("prompt " + i + " has " + len + " tokens; the context holds "
                        + model.contextLength() + " (max_position_embeddings " + model.config().maxPositionEmbeddings()
                        + ", cache " + model.options().maxCacheLength() + ")");
            }
        }
        List<GenerationResult> results = new ArrayList<>();
        for (int from = 0; from < prompts.size(); from += model.maxBatch()) {
            List<Prompt> chunk = prompts.subList(from, Math.min(prompts.size(), from + model.maxBatch()));
            results.addAll(new Run(chunk, from, config, listener).execute());
        }
        return results;
    }

    /** The state of one batch being decoded. */
    private final class Run {
        private final List<Prompt> prompts;
        private final int firstIndex;
        private final GenerationConfig config;
        private final TokenListener listener;
        private final int n;
        private final int[][] generated;
        private final int[] count;
        private final FinishReason[] finish;
        private final long[] decodeNanos;
        private final SplittableRandom[] random;

        Run(List<Prompt> prompts, int firstIndex, GenerationConfig config, TokenListener listener) {
            this.prompts = prompts;
            this.firstIndex = firstIndex;
            this.config = config;
            this.listener = listener;
            this.n = prompts.size();
            this.generated = new int[n][Math.min(config.maxNewTokens(), model.contextLength())];
            this.count = new int[n];
            this.finish = new FinishReason[n];
            this.decodeNanos = new long[n];
            this.random = new SplittableRandom[n];
            for (int b = 0; b < n; b++) {
                random[b] = new SplittableRandom(config.seed() + firstIndex + b);
            }
        }

        List<GenerationResult> execute() {
            long t0 = System.nanoTime();
            float[][] logits = config.maxNewTokens() == 0 ? null : prefill();
            long prefillNanos = System.nanoTime() - t0;
            if (logits == null) {
                Arrays.fill(finish, FinishReason.MAX_TOKENS);
            }
            long decodeStart = System.nanoTime();
            int[] next = new int[n];
            int[] slots = new int[n];
            while (logits != null) {
                boolean anyActive = false;
                for (int b = 0; b < n; b++) {
                    if (finish[b] == null) {
                        accept(b, Sampler.pick(logits[b], config, random[b]));
                        decodeNanos[b] = System.nanoTime() - decodeStart;
                        anyActive |= finish[b] == null;
                    }
                    // A finished row rewrites its last slot; harmless since its output is no longer read.
                    slots[b] = Math.min(prompts.get(b).length() + count[b] - 1, model.contextLength() - 1);
                    next[b] = count[b] > 0 ? generated[b][count[b] - 1] : 0;
                }
                logits = anyActive ? model.decode(next, slots, slots) : null;
            }
            List<GenerationResult> out = new ArrayList<>();
            for (int b = 0; b < n; b++) {
                out.add(new GenerationResult(Arrays.copyOf(generated[b], count[b]), finish[b], prompts.get(b).length(),
                        prefillNanos, decodeNanos[b]));
            }
            return out;
        }

        private void accept(int b, int token) {
            if (config.stopTokenIds().contains(token)) {
                finish[b] = FinishReason.STOP_TOKEN;
                return;
            }
            generated[b][count[b]++] = token;
            listener.onToken(firstIndex + b, token);
            if (config.stopCondition().shouldStop(Arrays.copyOf(generated[b], count[b]))) {
                finish[b] = FinishReason.STOP_CONDITION;
            } else if (count[b] == config.maxNewTokens()) {
                finish[b] = FinishReason.MAX_TOKENS;
            } else if (prompts.get(b).length() + count[b] >= model.contextLength()) {
                finish[b] = FinishReason.CONTEXT_FULL;
            }
        }

        private float[][] prefill() {
            int len = 0;
            boolean anyEmbeddings = false;
            for (Prompt p : prompts) {
                len = Math.max(len, p.length());
                anyEmbeddings |= p.embeddings() != null;
            }
            int[][] positions = new int[n][];
            int[][] mask = new int[n][len];
            for (int b = 0; b < n; b++) {
                positions[b] = PrefillBatch.range(0, len);
                Arrays.fill(mask[b], 0, prompts.get(b).length(), 1);
            }
            if (!anyEmbeddings) {
                int[][] ids = new int[n][];
                for (int b = 0; b < n; b++) {
                    ids[b] = Arrays.copyOf(prompts.get(b).ids(), len);
                }
                return model.prefill(ids, positions, mask);
            }
            int hidden = model.config().hiddenSize();
            float[][][] x = new float[n][len][];
            for (int b = 0; b < n; b++) {
                Prompt p = prompts.get(b);
                float[][] rows = p.embeddings() != null ? p.embeddings() : model.embed(new int[][] {p.ids()})[0];
                for (int j = 0; j < len; j++) {
                    x[b][j] = j < rows.length ? rows[j] : new float[hidden];
                }
            }
            return model.prefillEmbeddings(x, positions, mask);
        }
    }
}

package io.streamvl.operators.generate;

import io.streamvl.models.BundleDecoder;
import io.streamvl.models.LanguageModel.Answer;
import io.streamvl.models.llama.GenerationConfig;
import io.streamvl.models.llama.Prompt;
import io.streamvl.operators.model.ModelBatchingOperator;
import io.streamvl.operators.model.ModelKind;
import io.streamvl.operators.model.ModelSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates the text of {@link GenerationTask}s (captions, alerts, answers) in batches: the tasks
 * that arrive within {@code maxWait}, up to {@code maxBatch}, are decoded together by the bundle's
 * language model (greedy, the bundle's stop tokens and strings), and each comes out completed
 * ({@link GenerationTask#complete}) with its timestamp, in arrival order, its spent input dropped. Tasks with different token
 * limits in one batch are decoded in one run per limit, since a run has one limit. Batching,
 * flushing and backpressure are {@link ModelBatchingOperator}'s.
 *
 * <p>A failure never fails the job: a prompt longer than the model's context fails that task alone;
 * a model error fails the run it happened in. Failed answers come out with status
 * {@code model-error} and the message (every query gets an answer); failed captions and alerts are
 * logged and counted ({@code generationErrors}) and dropped.
 *
 * <p>Metrics: {@code tokensPerSecond} (meter), {@code tokensGenerated}, {@code generationErrors},
 * {@code generateMillis} (per run), {@code captionLatencyMillis} (window end to caption) and
 * {@code answerLatencyMillis} (query to answer) histograms, and the batching metrics (batch size,
 * queue depth).
 */
public class GenerationOperator extends ModelBatchingOperator<GenerationTask, GenerationTask> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(GenerationOperator.class);

    public static final String UID = "generate";

    private transient Meter tokensPerSecond;
    private transient Counter tokensGenerated;
    private transient Counter errors;
    private transient Histogram generateMillis;
    private transient Histogram captionLatency;
    private transient Histogram answerLatency;

    /**
     * @param model the bundle and how it runs; its {@code maxBatch} bounds the sequences decoded at once
     * @param maxBatch tasks per batch at most (more than the model's {@code maxBatch} are decoded in turn)
     * @param maxWait how long a task waits for others to fill its batch, processing time
     */
    public GenerationOperator(ModelSettings model, int maxBatch, Duration maxWait) {
        super(model, maxBatch, maxWait);
    }

    @Override
    public void open() throws Exception {
        super.open();
        tokensPerSecond = getMetricGroup().meter("tokensPerSecond", new MeterView(60));
        tokensGenerated = getMetricGroup().counter("tokensGenerated");
        errors = getMetricGroup().counter("generationErrors");
        generateMillis = histogram("generateMillis");
        captionLatency = histogram("captionLatencyMillis");
        answerLatency = histogram("answerLatencyMillis");
    }

    /** Tasks decoded in one run: of one mode, with one token limit. */
    private record Run(String mode, int maxNewTokens) {}

    @Override
    protected void processBatch(List<StreamRecord<GenerationTask>> batch) {
        boolean[] emit = new boolean[batch.size()];
        Map<Run, List<Integer>> runs = new TreeMap<>(Comparator.comparing(Run::mode)
                .thenComparingInt(Run::maxNewTokens));
        for (int i = 0; i < batch.size(); i++) {
            GenerationTask task = batch.get(i).getValue();
            runs.computeIfAbsent(new Run(language(task.mode()), task.maxNewTokens), k -> new ArrayList<>()).add(i);
        }
        runs.forEach((run, indices) -> generate(batch, indices, run, emit));
        for (int i = 0; i < batch.size(); i++) {
            if (emit[i]) {
                StreamRecord<GenerationTask> record = batch.get(i);
                // spent, and by far the largest field: not shipped further
                record.getValue().input = null;
                output.collect(record);
            }
        }
    }

    /** The mode whose language model decodes a task of {@code mode}: TS-LLaVA's for its own, else LLaVA-Mini's. */
    private static String language(String mode) {
        return ModelKind.TS_LLAVA.mode().equals(mode) ? ModelKind.TS_LLAVA.mode() : ModelKind.LLAVA_MINI.mode();
    }

    /**
     * Runs {@code work} on the language model of the mode, under its model's lease: the first task of a mode loads
     * its model, so a job whose tasks are all of one mode never loads the other.
     */
    private <T> T withLanguage(String mode, Function<BundleDecoder, T> work) {
        return ModelKind.TS_LLAVA.mode().equals(mode) ? lease(ModelKind.TS_LLAVA).call(m -> work.apply(m.language()))
                : lease(ModelKind.LLAVA_MINI).call(m -> work.apply(m.language()));
    }

    /**
     * Decodes the tasks at {@code indices} (into {@code batch}) together, but those too long for the model's
     * context; marks those to emit.
     */
    private void generate(List<StreamRecord<GenerationTask>> batch, List<Integer> indices, Run run,
            boolean[] emit) {
        int contextLength;
        try {
            contextLength = withLanguage(run.mode(), l -> l.decoder().contextLength());
        } catch (RuntimeException e) {
            LOG.error("the {} model is not available", run.mode(), e);
            for (int i : indices) {
                emit[i] = failed(batch.get(i).getValue(), "the " + run.mode() + " model is not available: " + e);
            }
            return;
        }
        List<Integer> fit = new ArrayList<>(indices.size());
        List<Prompt> prompts = new ArrayList<>(indices.size());
        for (int i : indices) {
            GenerationTask task = batch.get(i).getValue();
            int rows = task.input.length;
            if (rows < 1 || rows > contextLength) {
                emit[i] = failed(task, "the prompt has " + rows + " tokens; the model's context holds " + contextLength);
            } else {
                fit.add(i);
                prompts.add(Prompt.ofEmbeddings(task.input));
            }
        }
        if (fit.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        List<Answer> answers;
        try {
            answers = withLanguage(run.mode(),
                    l -> l.generate(prompts, GenerationConfig.greedy(run.maxNewTokens()), null));
        } catch (RuntimeException e) {
            LOG.error("generation of {} tasks failed", fit.size(), e);
            for (int i : fit) {
                emit[i] = failed(batch.get(i).getValue(), "generation failed: " + e);
            }
            return;
        }
        generateMillis.update((System.nanoTime() - t0) / 1_000_000);
        long now = System.currentTimeMillis();
        int tokens = 0;
        for (int k = 0; k < fit.size(); k++) {
            GenerationTask task = batch.get(fit.get(k)).getValue();
            Answer a = answers.get(k);
            task.complete(a.text(), a.tokenIds().length, now);
            tokens += a.tokenIds().length;
            switch (task.kind) {
                case GenerationTask.CAPTION -> captionLatency.update(task.caption.latencyMillis);
                case GenerationTask.ANSWER -> answerLatency.update(task.answer.latencyMillis);
                default -> { }
            }
            emit[fit.get(k)] = true;
        }
        tokensGenerated.inc(tokens);
        tokensPerSecond.markEvent(tokens);
    }

    /**
     * Counts a failed task and says whether it still goes on: an answer does, with status
     * {@code model-error}; a caption or alert has no text to send.
     */
    private boolean failed(GenerationTask task, String message) {
        errors.inc();
        if (GenerationTask.ANSWER.equals(task.kind)) {
            task.failAnswer(message, System.currentTimeMillis());
            return true;
        }
        LOG.warn("dropping the {} of stream {}: {}", task.kind, task.streamId(), message);
        return false;
    }
}

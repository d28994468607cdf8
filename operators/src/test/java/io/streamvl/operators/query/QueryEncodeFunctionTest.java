package io.streamvl.operators.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.ingest.ModelInputConverter;
import io.streamvl.ingest.ModelInputSpec;
import io.streamvl.kafka.Answer;
import io.streamvl.kafka.AnswerStatus;
import io.streamvl.kafka.Query;
import io.streamvl.kafka.QueryProgress;
import io.streamvl.models.llavamini.EncodedFrame;
import io.streamvl.models.llavamini.LlavaMiniModel;
import io.streamvl.models.tsllava.RgbImage;
import io.streamvl.models.tsllava.TsLlavaModel;
import io.streamvl.operators.generate.GenerationTask;
import io.streamvl.operators.model.ModelKind;
import io.streamvl.operators.model.SharedModels;
import io.streamvl.operators.model.TinyModel;
import io.streamvl.operators.vision.FusedTokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class QueryEncodeFunctionTest {
    private static final String QUESTION = "what is in the video";
    private static final long T0 = 1_700_000_000_000L;
    private static SharedModels.Lease<LlavaMiniModel> lease;

    @BeforeAll
    static void lease() {
        // held across the tests so the model is loaded once
        lease = SharedModels.acquire(TinyModel.settings());
    }

    @AfterAll
    static void release() {
        lease.close();
    }

    private static OneInputStreamOperatorTestHarness<QueryFrames, GenerationTask> harness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(
                new QueryEncodeFunction(TinyModel.settings(), QuerySettings.defaults())));
    }

    private static QueryFrames work(QueryFrame... frames) {
        Query q = new Query();
        q.queryId = "q1";
        q.kind = Query.KIND_ASK;
        q.streamId = "cam-1";
        q.question = QUESTION;
        q.mode = "auto";
        q.maxTokens = 9;
        return QueryFrames.covering(new QueryRequest(q, T0 + 50_000), frames, 1000);
    }

    private static QueryFrame[] frames(int n) {
        QueryFrame[] frames = new QueryFrame[n];
        for (int i = 0; i < n; i++) {
            frames[i] = new QueryFrame(T0 + i * 1000L, TinyModel.jpeg(i + 1), null);
        }
        return frames;
    }

    /** What the model itself makes of the frames' JPEGs and the question. */
    private static List<EncodedFrame> encodeDirectly(QueryFrame[] frames) {
        ModelInputSpec spec = ModelInputSpec.clipDefaults().withSize(TinyModel.INPUT_SIZE, TinyModel.INPUT_SIZE);
        int floats = spec.tensorLength();
        float[] images = new float[frames.length * floats];
        float[] one = new float[floats];
        for (int i = 0; i < frames.length; i++) {
            ModelInputConverter.jpegToTensor(frames[i].jpeg, spec, one);
            System.arraycopy(one, 0, images, i * floats, floats);
        }
        return lease.call(m -> m.encode(images, frames.length));
    }

    private static float[][] expectedInput(List<EncodedFrame> encoded) {
        return lease.call(m -> m.input(encoded, QUESTION));
    }

    private static <T> List<T> side(OneInputStreamOperatorTestHarness<?, ?> h, OutputTag<T> tag) {
        List<T> out = new ArrayList<>();
        if (h.getSideOutput(tag) != null) {
            h.getSideOutput(tag).forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    private static GenerationTask single(QueryFrames work) throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(work));
            assertThat(side(h, QueryOutputs.ANSWERS)).isEmpty();
            assertThat(side(h, QueryOutputs.PROGRESS)).extracting(p -> p.stage)
                    .containsExactly(QueryProgress.ENCODING, QueryProgress.GENERATING);
            List<GenerationTask> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            return out.get(0);
        }
    }

    @Test
    void aTsLlavaQueryIsTsLlavasInputForTheFramesJpegsAndAnswersInTsLlavaMode() throws Exception {
        QueryFrames work = work(frames(7));
        work.request.query.mode = "ts-llava";
        GenerationTask task = single(work);

        ModelInputSpec spec = ModelInputSpec.clipDefaults().withSize(TinyModel.INPUT_SIZE, TinyModel.INPUT_SIZE);
        List<RgbImage> images = new ArrayList<>();
        for (QueryFrame f : work.frames) {
            images.add(RgbImage.ofBytes(TinyModel.INPUT_SIZE, TinyModel.INPUT_SIZE,
                    ModelInputConverter.jpegToRgb(f.jpeg, spec)));
        }
        try (SharedModels.Lease<TsLlavaModel> ts = SharedModels.acquire(ModelKind.TS_LLAVA, TinyModel.settings())) {
            TinyModel.assertClose(ts.call(m -> m.inputEmbeddings(m.visualTokens(images), QUESTION)), task.input, 1e-5f);
        }
        assertThat(task.mode()).isEqualTo("ts-llava");
        assertThat(task.answer.mode).isEqualTo("ts-llava");
        assertThat(task.answer.model).isEqualTo("tiny-llava-mini");
        assertThat(task.answer.framesUsed).isEqualTo(7);
        assertThat(task.maxNewTokens).isEqualTo(9);
    }

    /** Each model is leased by the first query of its mode: ts-llava queries alone never load LLaVA-Mini. */
    @Test
    void eachModelIsLeasedOnlyOnceAQueryOfItsModeComes() throws Exception {
        int llavaMiniLeases = SharedModels.leases(ModelKind.LLAVA_MINI, TinyModel.settings());
        try (var h = harness()) {
            h.open();
            assertThat(SharedModels.leases(ModelKind.LLAVA_MINI, TinyModel.settings())).isEqualTo(llavaMiniLeases);
            assertThat(SharedModels.leases(ModelKind.TS_LLAVA, TinyModel.settings())).isZero();
            QueryFrames ts = work(frames(2));
            ts.request.query.mode = ModelKind.TS_LLAVA.mode();
            h.processElement(new StreamRecord<>(ts));
            assertThat(SharedModels.leases(ModelKind.TS_LLAVA, TinyModel.settings())).isOne();
            assertThat(SharedModels.leases(ModelKind.LLAVA_MINI, TinyModel.settings()))
                    .as("no llava-mini query yet").isEqualTo(llavaMiniLeases);
            h.processElement(new StreamRecord<>(work(frames(2))));
            assertThat(SharedModels.leases(ModelKind.LLAVA_MINI, TinyModel.settings())).isEqualTo(llavaMiniLeases + 1);
            assertThat(h.extractOutputValues()).extracting(GenerationTask::mode)
                    .containsExactly(ModelKind.TS_LLAVA.mode(), QueryEncodeFunction.MODE);
        }
        assertThat(SharedModels.leases(ModelKind.TS_LLAVA, TinyModel.settings())).isZero();
        assertThat(SharedModels.leases(ModelKind.LLAVA_MINI, TinyModel.settings())).isEqualTo(llavaMiniLeases);
    }

    @Test
    void theTaskCarriesTheModelsInputForTheFramesAndQuestionAndAnAnswerReadyButForItsText() throws Exception {
        QueryFrames work = work(frames(3));
        GenerationTask task = single(work);

        TinyModel.assertClose(expectedInput(encodeDirectly(work.frames)), task.input, 1e-4f);
        assertThat(task.kind).isEqualTo(GenerationTask.ANSWER);
        assertThat(task.maxNewTokens).isEqualTo(9);
        assertThat(task.createdMillis).as("latency from the query's arrival").isEqualTo(T0 + 50_000);
        Answer a = task.answer;
        assertThat(a.queryId).isEqualTo("q1");
        assertThat(a.streamId).isEqualTo("cam-1");
        assertThat(a.videoUri).isNull();
        assertThat(a.question).isEqualTo(QUESTION);
        assertThat(a.mode).isEqualTo(QueryEncodeFunction.MODE);
        assertThat(a.model).isEqualTo("tiny-llava-mini");
        assertThat(a.framesUsed).isEqualTo(3);
        assertThat(a.rangeStartMillis).isEqualTo(T0);
        assertThat(a.rangeEndMillis).isEqualTo(T0 + 3000);
        assertThat(a.answer).isNull();
        assertThat(a.status).isNull();
    }

    @Test
    void storedZPrimeIsUsedAsStoredAndNotRecomputed() throws Exception {
        QueryFrame[] frames = frames(2);
        List<EncodedFrame> encoded = encodeDirectly(frames);
        float[][] stored = new float[encoded.get(0).fused().length][encoded.get(0).width()];
        for (float[] row : stored) {
            Arrays.fill(row, 0.25f);
        }
        frames[0].fused = FusedTokens.toBytes(encoded.get(0).fused());
        frames[1].fused = FusedTokens.toBytes(stored);
        GenerationTask task = single(work(frames));

        List<EncodedFrame> expected = List.of(encoded.get(0),
                new EncodedFrame(encoded.get(1).image(), encoded.get(1).compressed(), stored));
        float[][] withStored = expectedInput(expected);
        TinyModel.assertClose(withStored, task.input, 1e-4f);
        int storedRows = 0;
        for (float[] row : task.input) {
            storedRows += Arrays.equals(row, stored[0]) ? 1 : 0;
        }
        assertThat(storedRows).as("the second frame's Z' is the stored one").isEqualTo(stored.length);
    }

    /** What the video memory stores per frame beside the JPEG, against the whole encoded frame. */
    @Test
    void storedZPrimeIsEightBytesPlusFourPerFloatOfTheFramesCompressedTokens() {
        EncodedFrame e = encodeDirectly(frames(1)).get(0);
        int c2 = e.fused().length;
        int d = e.width();
        assertThat(FusedTokens.toBytes(e.fused())).hasSize(8 + 4 * c2 * d);
        assertThat(e.toBytes()).hasSize(20 + 4 * (e.image().length + 2 * c2) * d);
    }

    @Test
    void aStoredZPrimeOfAnotherShapeIsRecomputed() throws Exception {
        QueryFrame[] frames = frames(2);
        frames[1].fused = FusedTokens.toBytes(new float[][] {{1f, 2f, 3f}});
        GenerationTask task = single(work(frames));
        TinyModel.assertClose(expectedInput(encodeDirectly(frames)), task.input, 1e-4f);
    }

    @Test
    void latencyIsMeasuredFromTheClientsSendTimeWhenItGaveOne() throws Exception {
        QueryFrames work = work(frames(1));
        work.request.query.sentMillis = T0 + 49_000;
        assertThat(single(work).createdMillis).isEqualTo(T0 + 49_000);
    }

    @Test
    void aFrameThatIsNotModelInputAnswersWithAModelError() throws Exception {
        QueryFrame[] frames = frames(2);
        frames[1].jpeg = new byte[] {1, 2, 3};
        try (var h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(work(frames)));
            assertThat(h.extractOutputValues()).isEmpty();
            Answer a = side(h, QueryOutputs.ANSWERS).get(0);
            assertThat(a.queryId).isEqualTo("q1");
            assertThat(a.status).isEqualTo(AnswerStatus.MODEL_ERROR);
            assertThat(a.message).contains(Long.toString(T0 + 1000));
            assertThat(side(h, QueryOutputs.PROGRESS)).extracting(p -> p.stage)
                    .containsExactly(QueryProgress.ENCODING);
        }
    }
}

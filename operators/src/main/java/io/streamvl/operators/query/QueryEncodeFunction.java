package io.streamvl.operators.query;

import io.streamvl.ingest.ModelInputConverter;
import io.streamvl.ingest.ModelInputSpec;
import io.streamvl.kafka.Answer;
import io.streamvl.kafka.AnswerStatus;
import io.streamvl.kafka.Query;
import io.streamvl.models.llavamini.EncodedFrame;
import io.streamvl.models.llavamini.LlavaMiniModel;
import io.streamvl.models.tsllava.RgbImage;
import io.streamvl.models.tsllava.TsLlavaConfig;
import io.streamvl.models.tsllava.TsLlavaModel;
import io.streamvl.operators.generate.GenerationTask;
import io.streamvl.operators.model.ModelKind;
import io.streamvl.operators.model.ModelSettings;
import io.streamvl.operators.model.OnDemandLease;
import io.streamvl.operators.model.SharedModels;
import io.streamvl.operators.vision.FusedTokens;
import io.streamvl.operators.vision.TsLlavaFrames;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a query's frames into the language model's input: a {@link GenerationTask} of kind answer, its
 * {@link Answer} filled in but for the text (query, stream or video, mode, model name, frames
 * used, range covered; latency measured from the query's arrival or send time), for the generation operator.
 * Each model is leased on the first query of its mode, so a job whose queries are all of one mode (e.g. a TS-LLaVA
 * caption job asked only in {@code ts-llava} mode) never loads the other. A query of mode {@code ts-llava} is
 * answered by TS-LLaVA over the bundle's image path: the frames' JPEGs, decoded (and repeated up to TS-LLaVA's
 * minimum where there are fewer, {@link TsLlavaFrames#atLeastMinimum}), go through
 * {@link TsLlavaModel#visualTokens} and fill the question's prompt. Any other query ({@code llava-mini},
 * {@code auto} or none) is answered by LLaVA-Mini ({@value #MODE}), as follows.
 *
 * <p>A new question needs every frame's patch and compressed tokens (G, Z): pre-fusion fuses the question's
 * text with them. They are recomputed from the JPEGs, all frames in one {@link LlavaMiniModel#encode} call.
 * A frame's Z' does not depend on the question: where the video memory stored one it is used as stored (the
 * answer is then exactly what the live path would give); frames without one (file queries, frames from before
 * Z' was kept) use the recomputed Z'. (The model offers no encode without Z', so its pre-fusion of the
 * compressed tokens still runs for every frame; a G-and-Z-only encode in {@code models} would save it.)
 *
 * <p>Progress: {@code encoding} when the frames arrive, {@code generating} when the task leaves. A frame that
 * cannot be turned into model input or a failure of the model answers the query with {@code model-error}.
 * Metrics: {@code storedFusedUsed}, {@code storedFusedMismatched} (stored Z' of another shape than the
 * model's, e.g. after a model change: recomputed instead), and the {@link QueryMetrics}.
 */
public class QueryEncodeFunction extends ProcessFunction<QueryFrames, GenerationTask> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(QueryEncodeFunction.class);

    public static final String UID = "query-encode";
    public static final String MODE = "llava-mini";

    private final ModelSettings modelSettings;
    private final QuerySettings settings;

    private transient OnDemandLease<LlavaMiniModel> llavaMini;
    private transient OnDemandLease<TsLlavaModel> tsLlava;
    /** LLaVA-Mini's input, known once its model is leased. */
    private transient ModelInputSpec input;
    private transient QueryMetrics metrics;
    private transient Counter storedUsed;
    private transient Counter storedMismatched;

    public QueryEncodeFunction(ModelSettings modelSettings, QuerySettings settings) {
        this.modelSettings = modelSettings;
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        llavaMini = new OnDemandLease<>(ModelKind.LLAVA_MINI, modelSettings);
        tsLlava = new OnDemandLease<>(ModelKind.TS_LLAVA, modelSettings);
        metrics = new QueryMetrics(getRuntimeContext().getMetricGroup());
        storedUsed = getRuntimeContext().getMetricGroup().counter("storedFusedUsed");
        storedMismatched = getRuntimeContext().getMetricGroup().counter("storedFusedMismatched");
    }

    @Override
    public void close() {
        if (llavaMini != null) {
            llavaMini.close();
        }
        if (tsLlava != null) {
            tsLlava.close();
        }
    }

    @Override
    public void processElement(QueryFrames work, Context ctx, Collector<GenerationTask> out) {
        QueryRequest request = work.request;
        Query q = request.query;
        ctx.output(QueryOutputs.PROGRESS, ProgressEvents.encoding(q.queryId, work.frames.length,
                System.currentTimeMillis()));
        boolean ts = ModelKind.TS_LLAVA.mode().equals(q.mode);
        ModelInput llmInput;
        try {
            llmInput = ts ? tsLlavaInput(work.frames, q.question) : llavaMiniInput(work.frames, q.question);
        } catch (UnreadableFrame e) {
            fail(request, "a frame is not model input: " + e.getMessage(), ctx);
            return;
        } catch (RuntimeException e) {
            LOG.warn("the model failed on the frames of query {}", q.queryId, e);
            fail(request, "encoding " + work.frames.length + " frames failed: " + e.getMessage(), ctx);
            return;
        }
        int maxTokens = q.maxTokens != null ? q.maxTokens : settings.defaultMaxTokens();
        Answer answer = answer(work, ts ? ModelKind.TS_LLAVA.mode() : MODE, llmInput.modelName());
        out.collect(GenerationTask.answer(answer, llmInput.embeddings(), maxTokens, request.latencyBaseMillis()));
        ctx.output(QueryOutputs.PROGRESS, ProgressEvents.generating(q.queryId, System.currentTimeMillis()));
    }

    /** A frame that cannot be turned into model input: the query's fault, not the model's. */
    private static final class UnreadableFrame extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnreadableFrame(QueryFrame frame, IllegalArgumentException cause) {
            super("frame at " + frame.timeMillis + " ms: " + cause.getMessage(), cause);
        }
    }

    /** The language model's input for a question, and the name of the model that made it. */
    private record ModelInput(float[][] embeddings, String modelName) {}

    private ModelInput llavaMiniInput(QueryFrame[] frames, String question) {
        SharedModels.Lease<LlavaMiniModel> model = llavaMini.get();
        if (input == null) {
            int size = model.call(LlavaMiniModel::inputSize);
            // the frame encoder's conversion, so a recomputed Z' is the one ingest stored
            input = ModelInputSpec.clipDefaults().withSize(size, size);
        }
        float[] images = images(frames);
        return model.call(m -> new ModelInput(m.input(withStoredFused(m.encode(images, frames.length), frames),
                question), ModelKind.LLAVA_MINI.modelName(m)));
    }

    private ModelInput tsLlavaInput(QueryFrame[] frames, String question) {
        SharedModels.Lease<TsLlavaModel> model = tsLlava.get();
        TsLlavaConfig config = model.call(TsLlavaModel::config);
        List<RgbImage> images = new ArrayList<>(frames.length);
        for (QueryFrame f : frames) {
            try {
                images.add(TsLlavaFrames.decode(f.jpeg, config));
            } catch (IllegalArgumentException e) {
                throw new UnreadableFrame(f, e);
            }
        }
        return model.call(m -> new ModelInput(m.inputEmbeddings(m.visualTokens(TsLlavaFrames.atLeastMinimum(images,
                config)), question), ModelKind.TS_LLAVA.modelName(m)));
    }

    private void fail(QueryRequest request, String message, Context ctx) {
        metrics.error(AnswerStatus.MODEL_ERROR);
        ctx.output(QueryOutputs.ANSWERS, request.error(AnswerStatus.MODEL_ERROR, message, System.currentTimeMillis()));
    }

    /** The frames as one NHWC batch of normalised model input. */
    private float[] images(QueryFrame[] frames) {
        int floats = input.tensorLength();
        float[] images = new float[frames.length * floats];
        float[] image = new float[floats];
        for (int i = 0; i < frames.length; i++) {
            try {
                ModelInputConverter.jpegToTensor(frames[i].jpeg == null ? new byte[0] : frames[i].jpeg, input, image);
            } catch (IllegalArgumentException e) {
                throw new UnreadableFrame(frames[i], e);
            }
            System.arraycopy(image, 0, images, i * floats, floats);
        }
        return images;
    }

    /** The encoded frames, with each frame's stored Z' in place of the recomputed one where it has one. */
    private List<EncodedFrame> withStoredFused(List<EncodedFrame> encoded, QueryFrame[] frames) {
        List<EncodedFrame> out = new ArrayList<>(encoded.size());
        for (int i = 0; i < frames.length; i++) {
            EncodedFrame e = encoded.get(i);
            if (frames[i].fused != null) {
                try {
                    e = new EncodedFrame(e.image(), e.compressed(), FusedTokens.fromBytes(frames[i].fused));
                    storedUsed.inc();
                } catch (IllegalArgumentException mismatch) {
                    storedMismatched.inc();
                }
            }
            out.add(e);
        }
        return out;
    }

    /** The answer record, complete but for what generation adds (text, status, tokens, latency). */
    private static Answer answer(QueryFrames work, String mode, String modelName) {
        Query q = work.request.query;
        Answer a = new Answer();
        a.queryId = q.queryId;
        a.streamId = q.streamId;
        a.videoUri = q.videoUri;
        a.question = q.question;
        a.mode = mode;
        a.model = modelName;
        a.framesUsed = work.frames.length;
        a.rangeStartMillis = work.rangeStartMillis;
        a.rangeEndMillis = work.rangeEndMillis;
        return a;
    }
}

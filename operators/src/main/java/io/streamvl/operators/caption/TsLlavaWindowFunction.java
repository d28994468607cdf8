package io.streamvl.operators.caption;

import io.streamvl.models.tsllava.RgbImage;
import io.streamvl.models.tsllava.TsLlavaModel;
import io.streamvl.operators.generate.GenerationTask;
import io.streamvl.operators.model.BatchingOperator;
import io.streamvl.operators.model.ModelKind;
import io.streamvl.operators.vision.EncodedFrameRecord;
import io.streamvl.operators.vision.TsLlavaFrames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live captions and standing questions per stream and event-time window in TS-LLaVA mode: a window's frames are
 * kept as they come (the compact JPEG, by event time), and when it closes they are decoded once and go through
 * TS-LLaVA once ({@link TsLlavaModel#visualTokens}: sampled tokens of its frames and a thumbnail), whose visual
 * tokens then fill the caption prompt and every standing question that applies to the stream. TS-LLaVA picks its
 * frames from the whole window, so unlike LLaVA-Mini's running sums nothing can be computed before it closes, and
 * a question registered mid-window is answered from all of the window's frames. When windows close, late frames
 * and the records are {@link CaptionWindowFunction}'s; the records' mode is {@value #MODE}.
 *
 * <p>The frames arrive as {@link EncodedFrameRecord}s without LLaVA-Mini's tokens (the job does not run the frame
 * encoder in this mode). State: per stream, besides its clock, a map from (window start, event time) to the
 * frame's JPEG, cleared when the window closes, TTL'd like the clock: about a window's worth of JPEGs per stream.
 * A JPEG that cannot be decoded at the tower's size is logged, counted and left out; a window left without frames
 * emits nothing. A window of fewer frames than TS-LLaVA's minimum (its thumbnail's, 6 by default) repeats its
 * frames in order up to it ({@link TsLlavaFrames#atLeastMinimum}); the records count the window's own frames.
 *
 * <p>Metrics: {@code framesKept}, {@code undecodableFrames}, per closed window {@code windowFrames} (its frames that
 * TS-LLaVA saw) and {@code encodeMillis} (its one TS-LLaVA call, queueing for the shared model included) histograms,
 * and {@link CaptionWindowFunction}'s.
 */
public class TsLlavaWindowFunction extends CaptionWindowFunction<TsLlavaModel> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TsLlavaWindowFunction.class);

    public static final String UID = "ts-llava-caption";
    public static final String MODE = ModelKind.TS_LLAVA.mode();
    public static final String FRAMES_STATE = "ts-llava-caption-frames";
    public static final String CLOCK_STATE = "ts-llava-caption-clock";

    private transient MapState<Tuple2<Long, Long>, byte[]> frames;
    private transient Counter framesKept;
    private transient Counter undecodable;
    private transient Histogram windowFrames;
    private transient Histogram encodeMillis;

    public TsLlavaWindowFunction(LiveCaptionSettings settings) {
        super(settings, CLOCK_STATE);
    }

    /** The per-stream frames, keyed by (window start, event time), as a reader of this operator's state declares it. */
    public static MapStateDescriptor<Tuple2<Long, Long>, byte[]> framesDescriptor(LiveCaptionSettings settings) {
        TypeInformation<Tuple2<Long, Long>> key = Types.TUPLE(Types.LONG, Types.LONG);
        var d = new MapStateDescriptor<>(FRAMES_STATE, key, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        d.enableTimeToLive(ttl(settings));
        return d;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        super.open(ctx);
        frames = getRuntimeContext().getMapState(framesDescriptor(settings));
        framesKept = getRuntimeContext().getMetricGroup().counter("framesKept");
        undecodable = getRuntimeContext().getMetricGroup().counter("undecodableFrames");
        windowFrames = histogram("windowFrames");
        encodeMillis = histogram("encodeMillis");
    }

    private Histogram histogram(String name) {
        return getRuntimeContext().getMetricGroup().histogram(name,
                new DescriptiveStatisticsHistogram(BatchingOperator.HISTOGRAM_WINDOW));
    }

    @Override
    protected ModelKind<TsLlavaModel> kind() {
        return ModelKind.TS_LLAVA;
    }

    @Override
    protected void take(EncodedFrameRecord record, long windowStart, List<StandingQuestion> questions)
            throws Exception {
        frames.put(Tuple2.of(windowStart, record.frame.eventTimeMillis), record.frame.jpeg);
        framesKept.inc();
    }

    @Override
    protected NavigableSet<Long> openWindows() throws Exception {
        NavigableSet<Long> starts = new TreeSet<>();
        for (Tuple2<Long, Long> key : frames.keys()) {
            starts.add(key.f0);
        }
        return starts;
    }

    @Override
    protected void closeWindow(String stream, long windowStart, List<StandingQuestion> questions,
            Collector<GenerationTask> out) throws Exception {
        TreeMap<Long, byte[]> jpegs = new TreeMap<>();
        for (Map.Entry<Tuple2<Long, Long>, byte[]> e : frames.entries()) {
            if (e.getKey().f0 == windowStart) {
                jpegs.put(e.getKey().f1, e.getValue());
            }
        }
        for (long t : jpegs.keySet()) {
            frames.remove(Tuple2.of(windowStart, t));
        }
        List<RgbImage> images = decode(stream, jpegs);
        if (images.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        List<float[][]> inputs = model().call(m -> {
            float[][] visual = m.visualTokens(TsLlavaFrames.atLeastMinimum(images, m.config()));
            List<float[][]> prompts = new ArrayList<>();
            prompts.add(m.inputEmbeddings(visual, settings.captionPrompt()));
            for (StandingQuestion q : questions) {
                prompts.add(m.inputEmbeddings(visual, q.question));
            }
            return prompts;
        });
        encodeMillis.update((System.nanoTime() - t0) / 1_000_000);
        windowFrames.update(images.size());
        out.collect(captionTask(stream, windowStart, images.size(), inputs.get(0)));
        for (int i = 0; i < questions.size(); i++) {
            out.collect(alertTask(questions.get(i), stream, windowStart, images.size(), inputs.get(i + 1)));
        }
    }

    /** The window's frames in event-time order as TS-LLaVA's input, without those that cannot be. */
    private List<RgbImage> decode(String stream, TreeMap<Long, byte[]> jpegs) {
        var config = model().call(TsLlavaModel::config);
        List<RgbImage> images = new ArrayList<>(jpegs.size());
        jpegs.forEach((t, jpeg) -> {
            try {
                images.add(TsLlavaFrames.decode(jpeg, config));
            } catch (IllegalArgumentException e) {
                undecodable.inc();
                LOG.warn("leaving frame {} of stream {} out of its caption: {}", t, stream, e.getMessage());
            }
        });
        return images;
    }
}

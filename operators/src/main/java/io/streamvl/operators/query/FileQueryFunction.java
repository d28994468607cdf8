package io.streamvl.operators.query;

import io.streamvl.ingest.DecodedFrame;
import io.streamvl.ingest.DecoderOptions;
import io.streamvl.ingest.FrameExtractor;
import io.streamvl.ingest.FrameSampler;
import io.streamvl.ingest.ModelInputSpec;
import io.streamvl.ingest.VideoDecodeException;
import io.streamvl.ingest.VideoDecoder;
import io.streamvl.ingest.VideoInput;
import io.streamvl.kafka.AnswerStatus;
import io.streamvl.kafka.Query;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the frames side of queries about a video file or URL: decodes it on demand, samples it at
 * {@link QuerySettings#fileSamplingFps()} (lowered for long videos so that about
 * {@link QuerySettings#maxFramesPerQuery()} frames span it evenly), and emits the frames as JPEGs at the
 * ingest's model input size in one {@link QueryFrames}. Keyed by query id. A query's {@code fromMillis} and
 * {@code toMillis}, when given, are media times from the start of the video; decoding stops at
 * {@code toMillis} or after {@link QuerySettings#maxFileMedia()} of media (a URL may be an endless live
 * stream), and the answer's range says what was covered.
 *
 * <p>Decoding runs in bounded chunks, {@link QuerySettings#decodeFramesPerTurn()} frames per mailbox turn, each
 * turn a processing-time timer that schedules the next: the task handles its input and checkpoint barriers
 * between turns, so a two-hour video does not hold up checkpoints. The position is keyed state
 * ({@link FileDecode}, kept frames in a list state), timers are checkpointed, so a restored job resumes the
 * decode. The open decoder is not state: after a restore the video is opened again and its first frames are
 * decoded without being processed up to the stored position (decode-only, no conversion; seeking would be
 * faster but lands only near the target in many containers, so counting frames is what makes the resumed
 * sample identical).
 *
 * <p>Outputs: {@link QueryOutputs#PROGRESS} — {@code accepted}, then {@code decoding} with the fraction of the
 * range decoded (by media duration when known; for a video of unknown length, one event per minute of media
 * decoded, fraction 0); {@link QueryOutputs#ANSWERS} — {@code unreadable-video} when the input cannot be
 * opened or decoded (missing, unreachable, corrupt, not a video), {@code empty-range} when no frame falls in
 * the range, {@code invalid-query} for a URI the {@link VideoUriPolicy} refuses (checked again here: this is
 * where the video is opened) or a query id already being decoded.
 */
public class FileQueryFunction extends KeyedProcessFunction<String, QueryRequest, QueryFrames> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FileQueryFunction.class);

    public static final String UID = "file-query";
    public static final String PENDING_STATE = "file-query-pending";
    public static final String FRAMES_STATE = "file-query-frames";
    /** Smallest step of the decode fraction worth a progress event. */
    static final double PROGRESS_STEP = 0.05;
    /** Media decoded between progress events when the video's length is unknown. */
    static final long UNKNOWN_LENGTH_REPORT_MICROS = 60_000_000L;

    private final QuerySettings settings;
    private final DecoderOptions decoderOptions;
    private final ModelInputSpec modelInput;

    private transient ValueState<FileDecode> pending;
    private transient ListState<QueryFrame> kept;
    private transient Map<String, OpenVideo> open;
    private transient FrameExtractor extractor;
    private transient QueryMetrics metrics;
    private transient Counter framesDecoded;

    /**
     * @param decoderOptions and {@code modelInput}: the ingest's, so file frames look like stream frames to the
     *     model
     */
    public FileQueryFunction(QuerySettings settings, DecoderOptions decoderOptions, ModelInputSpec modelInput) {
        this.settings = settings;
        this.decoderOptions = decoderOptions;
        this.modelInput = modelInput;
    }

    public static ValueStateDescriptor<FileDecode> pendingDescriptor() {
        return new ValueStateDescriptor<>(PENDING_STATE, TypeInformation.of(FileDecode.class));
    }

    public static ListStateDescriptor<QueryFrame> framesDescriptor() {
        return new ListStateDescriptor<>(FRAMES_STATE, TypeInformation.of(QueryFrame.class));
    }

    @Override
    public void open(OpenContext ctx) {
        pending = getRuntimeContext().getState(pendingDescriptor());
        kept = getRuntimeContext().getListState(framesDescriptor());
        open = new HashMap<>();
        extractor = new FrameExtractor(decoderOptions, modelInput);
        metrics = new QueryMetrics(getRuntimeContext().getMetricGroup());
        framesDecoded = getRuntimeContext().getMetricGroup().counter("fileFramesDecoded");
        getRuntimeContext().getMetricGroup().gauge("fileQueriesDecoding", () -> open.size());
    }

    @Override
    public void close() {
        if (open != null) {
            open.values().forEach(v -> v.decoder.close());
            open.clear();
        }
        if (extractor != null) {
            extractor.close();
        }
    }

    @Override
    public void processElement(QueryRequest request, Context ctx, Collector<QueryFrames> out) throws Exception {
        long now = System.currentTimeMillis();
        String refused = settings.uriPolicy().problem(request.query.videoUri);
        if (refused == null && pending.value() != null) {
            refused = "query id '" + request.query.queryId + "' is already being answered";
        }
        if (refused != null) {
            fail(request, AnswerStatus.INVALID_QUERY, refused, ctx);
            return;
        }
        pending.update(FileDecode.start(request, settings.maxFileMedia().toMillis() * 1000));
        metrics.accepted();
        ctx.output(QueryOutputs.PROGRESS, ProgressEvents.accepted(request.query.queryId,
                "decoding " + VideoInput.ofUri(request.query.videoUri).describe(), now));
        scheduleNextTurn(ctx);
    }

    /** A turn a millisecond later, not now: the task's input (and checkpoint barriers) get their turn between. */
    private static void scheduleNextTurn(Context ctx) {
        ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<QueryFrames> out) throws Exception {
        FileDecode state = pending.value();
        if (state == null) {
            return;
        }
        String key = ctx.getCurrentKey();
        try {
            if (decodeTurn(key, state, ctx, out)) {
                scheduleNextTurn(ctx);
            }
        } catch (VideoDecodeException e) {
            abandon(key, state, e.getMessage(), ctx);
        } catch (RuntimeException e) {
            // the decoder reports bad input as VideoDecodeException; anything else escaping the native layer
            // for one video still must not fail the job, so the query is answered as unreadable
            LOG.warn("unexpected failure decoding {} for query {}", describe(state), state.request.query.queryId, e);
            abandon(key, state, describe(state) + ": " + e, ctx);
        }
    }

    /** Decodes up to a turn's worth of frames; true when the video has more to decode. */
    private boolean decodeTurn(String key, FileDecode state, OnTimerContext ctx, Collector<QueryFrames> out)
            throws Exception {
        OpenVideo video = open.get(key);
        if (video == null) {
            VideoDecoder decoder = VideoDecoder.open(VideoInput.ofUri(state.request.query.videoUri), decoderOptions);
            video = new OpenVideo(decoder, state.framesDecoded);
            open.put(key, video);
            if (!state.opened()) {
                state.begin(decoder.info(), settings.fileSamplingFps(), settings.maxFramesPerQuery());
            }
        }
        FrameSampler sampler = new FrameSampler(state.samplingFps);
        sampler.restoreLastTick(state.lastTick);
        List<QueryFrame> newlyKept = new ArrayList<>();
        long position = -1;
        long stop = state.stopMicros();
        boolean more = true;
        for (int i = 0; i < settings.decodeFramesPerTurn(); i++) {
            DecodedFrame f = video.decoder.next();
            if (f == null) {
                more = false;
                break;
            }
            framesDecoded.inc();
            if (video.toSkip > 0) {
                video.toSkip--;
                continue;
            }
            state.framesDecoded++;
            long pts = f.ptsMicros();
            position = pts;
            if (pts >= stop) {
                more = false;
                break;
            }
            if (pts >= state.startMicros() && sampler.sample(pts)) {
                if (state.sampled++ % state.stride == 0) {
                    long millis = Math.floorDiv(pts, 1000L);
                    byte[] jpeg = extractor.compact(f, video.decoder.info(), key, millis, -1).jpeg;
                    newlyKept.add(new QueryFrame(millis, jpeg, null));
                }
            }
        }
        state.lastTick = sampler.lastTick();
        keep(state, newlyKept);
        if (!more) {
            finish(key, state, ctx, out);
            return false;
        }
        reportProgress(state, position, ctx);
        pending.update(state);
        return true;
    }

    /**
     * Adds frames to the kept list; at twice the cap, halves it (every other frame) and doubles the stride, so
     * at most {@code 2·maxFrames} frames are ever held and the kept ones stay evenly spaced, whatever the
     * video's length, known or not.
     */
    private void keep(FileDecode state, List<QueryFrame> frames) throws Exception {
        if (frames.isEmpty()) {
            return;
        }
        kept.addAll(frames);
        state.kept += frames.size();
        while (state.kept >= 2 * settings.maxFramesPerQuery()) {
            List<QueryFrame> all = list(kept.get());
            List<QueryFrame> half = new ArrayList<>(all.size() / 2 + 1);
            for (int i = 0; i < all.size(); i += 2) {
                half.add(all.get(i));
            }
            kept.update(half);
            state.kept = half.size();
            state.stride *= 2;
        }
    }

    private void reportProgress(FileDecode state, long position, OnTimerContext ctx) {
        if (position < 0) {
            return;
        }
        double fraction = state.fraction(position);
        String id = state.request.query.queryId;
        long now = System.currentTimeMillis();
        String message = "decoded " + state.framesDecoded + " frames, at " + position / 1000 + " ms";
        if (fraction >= 0 && fraction >= state.reportedFraction + PROGRESS_STEP) {
            state.reportedFraction = fraction;
            ctx.output(QueryOutputs.PROGRESS, ProgressEvents.decoding(id, fraction, message, now));
        } else if (fraction < 0 && position >= state.reportedMicros + UNKNOWN_LENGTH_REPORT_MICROS) {
            state.reportedMicros = position;
            ctx.output(QueryOutputs.PROGRESS, ProgressEvents.decoding(id, 0, message, now));
        }
    }

    private void finish(String key, FileDecode state, OnTimerContext ctx, Collector<QueryFrames> out)
            throws Exception {
        List<QueryFrame> all = list(kept.get());
        release(key);
        QueryRequest request = state.request;
        Query q = request.query;
        if (state.framesDecoded == 0) {
            fail(request, AnswerStatus.UNREADABLE_VIDEO, describe(state) + ": opened, but no frame could be decoded",
                    ctx);
            return;
        }
        if (all.isEmpty()) {
            fail(request, AnswerStatus.EMPTY_RANGE, "no frame of " + describe(state) + " between "
                    + (q.fromMillis == null ? 0 : q.fromMillis) + " ms and " + (q.toMillis == null ? "the end"
                    : q.toMillis + " ms") + " (decoded " + state.framesDecoded + " frames)", ctx);
            return;
        }
        int[] picks = EvenSample.indices(all.size(), settings.maxFramesPerQuery());
        QueryFrame[] frames = new QueryFrame[picks.length];
        for (int i = 0; i < picks.length; i++) {
            frames[i] = all.get(picks[i]);
        }
        metrics.framesUsed(frames.length);
        ctx.output(QueryOutputs.PROGRESS, ProgressEvents.decoding(q.queryId, 1.0,
                "decoded " + state.framesDecoded + " frames, " + frames.length + " for the answer",
                System.currentTimeMillis()));
        out.collect(QueryFrames.covering(request, frames, state.keptIntervalMillis()));
    }

    private void abandon(String key, FileDecode state, String message, OnTimerContext ctx) {
        release(key);
        fail(state.request, AnswerStatus.UNREADABLE_VIDEO, message, ctx);
    }

    /** Closes the query's decoder and forgets its state. */
    private void release(String key) {
        OpenVideo video = open.remove(key);
        if (video != null) {
            video.decoder.close();
        }
        pending.clear();
        kept.clear();
    }

    private void fail(QueryRequest request, String status, String message, Context ctx) {
        metrics.error(status);
        ctx.output(QueryOutputs.ANSWERS, request.error(status, message, System.currentTimeMillis()));
    }

    private static String describe(FileDecode state) {
        return VideoInput.ofUri(state.request.query.videoUri).describe();
    }

    private static List<QueryFrame> list(Iterable<QueryFrame> frames) {
        List<QueryFrame> out = new ArrayList<>();
        if (frames != null) {
            frames.forEach(out::add);
        }
        return out;
    }

    /** A query's open decoder, and how many frames it must decode unprocessed to reach the stored position. */
    private static final class OpenVideo {
        final VideoDecoder decoder;
        long toSkip;

        OpenVideo(VideoDecoder decoder, long toSkip) {
            this.decoder = decoder;
            this.toSkip = toSkip;
        }
    }
}

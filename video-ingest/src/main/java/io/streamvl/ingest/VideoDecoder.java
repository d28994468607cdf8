package io.streamvl.ingest;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_INVALIDDATA;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import io.streamvl.kafka.DlqReason;
import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * Decodes the best video stream of one input with FFmpeg's C API, leaving frames in the
 * decoder's native pixel format: no per-frame conversion, so decode-only throughput matches the
 * ffmpeg CLI, and only sampled frames pay for one swscale pass in {@link ModelInputConverter}.
 *
 * <p>Not thread-safe, except {@link #abort()}. Errors never print: FFmpeg's log is limited to
 * fatal messages, and every failure surfaces as a {@link VideoDecodeException} whose message
 * names the input and FFmpeg's error text; corrupt frames fail the decode unless
 * {@link DecoderOptions#skipCorruptFrames()}, in which case they are counted.
 */
public final class VideoDecoder implements AutoCloseable {
    private static final long MICROS = 1_000_000L;
    private static final int EAGAIN;
    /** Demuxers that turn any text file (matched by extension alone) into a rendered "video". */
    private static final Set<String> TEXT_DEMUXERS = Set.of("tty");

    static {
        av_log_set_level(AV_LOG_FATAL);
        // only valid once the global avutil class has loaded the native libraries
        EAGAIN = AVERROR_EAGAIN();
    }

    private final VideoInput input;
    private final DecoderOptions opts;
    private final boolean network;
    private final AVPacket packet = av_packet_alloc();
    private final AVFrame avFrame = av_frame_alloc();
    private final FrameView frame = new FrameView(avFrame);
    private MemoryIo memoryIo;
    private AVFormatContext oc;
    private long ocAddress;
    private AVCodecContext codec;
    private AVStream stream;
    private int streamIndex;
    private AVRational timeBase;
    private long startTs = AV_NOPTS_VALUE;
    private long frameDurationMicros;
    private VideoInfo info;
    private boolean flushing;
    private boolean finished;
    private long skipBeforeMicros = Long.MIN_VALUE;
    private long lastPtsMicros = Long.MIN_VALUE;
    private long corruptFramesSkipped;
    private volatile boolean aborted;
    private volatile long ioDeadlineNanos = Long.MAX_VALUE;

    private final BooleanSupplier externalAbort;

    private VideoDecoder(VideoInput input, DecoderOptions opts, BooleanSupplier externalAbort) {
        this.input = input;
        this.opts = opts;
        this.externalAbort = externalAbort;
        this.network = input.isNetwork();
    }

    /**
     * Opens the input and its video decoder.
     *
     * @throws VideoDecodeException EMPTY_SEGMENT for zero-length input; CORRUPT_SEGMENT when the
     *     container cannot be opened or parsed; UNSUPPORTED_CODEC when there is no video stream or
     *     no decoder for it; ABSURD_DIMENSIONS above {@link DecoderOptions#maxDimension()}
     */
    public static VideoDecoder open(VideoInput in, DecoderOptions opts) throws VideoDecodeException {
        return open(in, opts, () -> false);
    }

    /** As {@link #open(VideoInput, DecoderOptions)}, with blocking I/O also aborted once {@code abort} is true. */
    static VideoDecoder open(VideoInput in, DecoderOptions opts, BooleanSupplier abort) throws VideoDecodeException {
        VideoDecoder d = new VideoDecoder(in, opts, abort);
        try {
            d.openInput();
            d.openCodec();
            return d;
        } catch (VideoDecodeException | RuntimeException | Error e) {
            d.close();
            throw e;
        }
    }

    public VideoInfo info() {
        return info;
    }

    public VideoInput input() {
        return input;
    }

    /** Frames dropped because the decoder flagged them corrupt (only with skipCorruptFrames). */
    public long corruptFramesSkipped() {
        return corruptFramesSkipped;
    }

    /**
     * The next decoded video frame, or null at the end of the input (or after {@link #abort()}).
     * The returned object and its pixels are reused by the following call.
     */
    public DecodedFrame next() throws VideoDecodeException {
        while (!finished) {
            int ret = avcodec_receive_frame(codec, avFrame);
            if (ret == 0) {
                if (acceptFrame()) {
                    return frame;
                }
                continue;
            }
            if (ret == AVERROR_EOF()) {
                finished = true;
            } else if (ret == EAGAIN) {
                feedPacket();
            } else {
                failOrSkip("decoding failed: " + errorText(ret));
            }
        }
        return null;
    }

    /**
     * Seeks so that the next frame returned is the first with pts &gt;= {@code ptsMicros}: jumps to
     * the preceding keyframe, then decodes and discards up to the target.
     */
    public void seekMicros(long ptsMicros) throws VideoDecodeException {
        long target = (startTs == AV_NOPTS_VALUE ? 0 : startTs) + fromMicros(ptsMicros, timeBase);
        deadline();
        int ret = av_seek_frame(oc, streamIndex, target, AVSEEK_FLAG_BACKWARD);
        if (ret < 0) {
            if (ptsMicros < lastPtsMicros) {
                throw new VideoDecodeException(DlqReason.CORRUPT_SEGMENT,
                        "cannot seek " + input.describe() + " to " + ptsMicros + " us: " + errorText(ret));
            }
        } else {
            avcodec_flush_buffers(codec);
            flushing = false;
            finished = false;
        }
        skipBeforeMicros = ptsMicros;
    }

    /** Makes a blocking read in another thread return promptly; the decoder then reports end of input. */
    public void abort() {
        aborted = true;
    }

    @Override
    public void close() {
        if (codec != null) {
            avcodec_free_context(codec);
            codec = null;
        }
        if (oc != null) {
            if (!oc.isNull()) {
                avformat_close_input(oc);
            }
            Interrupts.unregister(ocAddress);
            oc = null;
        }
        if (memoryIo != null) {
            memoryIo.close();
            memoryIo = null;
        }
        if (!avFrame.isNull()) {
            av_frame_free(avFrame);
        }
        if (!packet.isNull()) {
            av_packet_free(packet);
        }
    }

    private void openInput() throws VideoDecodeException {
        String url;
        if (input.isBytes()) {
            if (input.data().length == 0) {
                throw fail(DlqReason.EMPTY_SEGMENT, "input is empty", 0);
            }
            url = "";
        } else {
            url = toFfmpegUrl(input.uri());
            File f = new File(url);
            if (!network && f.isFile() && f.length() == 0) {
                throw fail(DlqReason.EMPTY_SEGMENT, "file is empty", 0);
            }
        }
        AVInputFormat format = null;
        if (input.containerFormat() != null) {
            format = av_find_input_format(input.containerFormat());
            if (format == null || format.isNull()) {
                throw fail(DlqReason.CORRUPT_SEGMENT, "unknown container format '" + input.containerFormat() + "'", 0);
            }
        }
        oc = avformat_alloc_context();
        ocAddress = oc.address();
        Interrupts.register(oc, this::shouldInterrupt);
        if (input.isBytes()) {
            memoryIo = new MemoryIo(input.data());
            oc.pb(memoryIo.context());
        }
        AVDictionary dict = new AVDictionary(null);
        try {
            av_dict_set(dict, "protocol_whitelist", ProtocolWhitelist.of(input), 0);
            if (network) {
                String timeout = Long.toString(opts.ioTimeoutMicros());
                av_dict_set(dict, "rw_timeout", timeout, 0);
                if (url.startsWith("rtsp")) {
                    av_dict_set(dict, "timeout", timeout, 0);
                    av_dict_set(dict, "rtsp_transport", opts.rtspTransport(), 0);
                }
            }
            deadline();
            int ret = avformat_open_input(oc, url, format, dict);
            if (ret < 0) {
                // bytes we hold can only be bad data; a file or URL may just not be reachable
                boolean unreadable = !input.isBytes() && ret != AVERROR_INVALIDDATA();
                throw fail(unreadable ? DlqReason.UNREADABLE_INPUT : DlqReason.CORRUPT_SEGMENT,
                        unreadable ? "cannot read input" : "cannot open container", ret);
            }
            String demuxer = oc.iformat().name().getString();
            if (TEXT_DEMUXERS.contains(demuxer)) {
                throw fail(DlqReason.CORRUPT_SEGMENT, "text, not video (FFmpeg would render it as "
                        + demuxer + " art)", 0);
            }
        } finally {
            av_dict_free(dict);
        }
        deadline();
        int ret = avformat_find_stream_info(oc, (AVDictionary) null);
        if (ret < 0) {
            throw fail(DlqReason.CORRUPT_SEGMENT, "cannot read stream information", ret);
        }
    }

    private void openCodec() throws VideoDecodeException {
        streamIndex = -1;
        for (int i = 0; i < oc.nb_streams(); i++) {
            AVCodecParameters p = oc.streams(i).codecpar();
            if (p.codec_type() == AVMEDIA_TYPE_VIDEO && (streamIndex < 0 || isBetter(p, oc.streams(streamIndex).codecpar()))) {
                streamIndex = i;
            }
        }
        if (streamIndex < 0) {
            throw fail(DlqReason.UNSUPPORTED_CODEC, "no video stream (" + oc.nb_streams() + " other streams)", 0);
        }
        stream = oc.streams(streamIndex);
        AVCodecParameters par = stream.codecpar();
        String codecName = avcodec_get_name(par.codec_id()).getString();
        if (par.width() > opts.maxDimension() || par.height() > opts.maxDimension()) {
            throw fail(DlqReason.ABSURD_DIMENSIONS, "video is " + par.width() + "x" + par.height()
                    + ", above the limit of " + opts.maxDimension() + " px", 0);
        }
        if (par.width() <= 0 || par.height() <= 0) {
            throw fail(DlqReason.CORRUPT_SEGMENT, "video stream (" + codecName + ") has no dimensions", 0);
        }
        AVCodec decoder = avcodec_find_decoder(par.codec_id());
        if (decoder == null || decoder.isNull()) {
            throw fail(DlqReason.UNSUPPORTED_CODEC, "no decoder for codec " + codecName, 0);
        }
        codec = avcodec_alloc_context3(decoder);
        int ret = avcodec_parameters_to_context(codec, par);
        if (ret < 0) {
            throw fail(DlqReason.UNSUPPORTED_CODEC, "bad parameters for codec " + codecName, ret);
        }
        codec.thread_count(opts.threads());
        codec.pkt_timebase(stream.time_base());
        ret = avcodec_open2(codec, decoder, (AVDictionary) null);
        if (ret < 0) {
            throw fail(DlqReason.UNSUPPORTED_CODEC, "cannot open decoder for codec " + codecName, ret);
        }
        timeBase = stream.time_base();
        startTs = stream.start_time();
        double fps = rate(stream.avg_frame_rate());
        if (fps <= 0) {
            fps = rate(stream.r_frame_rate());
        }
        frameDurationMicros = fps > 0 ? Math.round(MICROS / fps) : 0;
        long duration = stream.duration() != AV_NOPTS_VALUE ? toMicros(stream.duration(), timeBase)
                : oc.duration() != AV_NOPTS_VALUE ? oc.duration() : -1;
        info = new VideoInfo(par.width(), par.height(), codecName, fps, duration, oc.iformat().name().getString());
    }

    /** Prefer the larger picture when a container carries several video streams (e.g. a cover image). */
    private static boolean isBetter(AVCodecParameters candidate, AVCodecParameters current) {
        return (long) candidate.width() * candidate.height() > (long) current.width() * current.height();
    }

    private void feedPacket() throws VideoDecodeException {
        if (flushing) {
            finished = true;
            return;
        }
        while (true) {
            deadline();
            int ret = av_read_frame(oc, packet);
            if (ret < 0) {
                if (ret != AVERROR_EOF() && !aborted && !externalAbort.getAsBoolean()) {
                    throw fail(DlqReason.CORRUPT_SEGMENT, timedOut() ? "read timed out" : "read failed", ret);
                }
                flushing = true;
                avcodec_send_packet(codec, null);
                return;
            }
            if (packet.stream_index() != streamIndex) {
                av_packet_unref(packet);
                continue;
            }
            ret = avcodec_send_packet(codec, packet);
            av_packet_unref(packet);
            if (ret < 0 && ret != EAGAIN) {
                failOrSkip("decoding failed: " + errorText(ret));
            }
            return;
        }
    }

    private boolean acceptFrame() throws VideoDecodeException {
        if (avFrame.width() > opts.maxDimension() || avFrame.height() > opts.maxDimension()) {
            throw fail(DlqReason.ABSURD_DIMENSIONS, "frame is " + avFrame.width() + "x" + avFrame.height()
                    + ", above the limit of " + opts.maxDimension() + " px", 0);
        }
        if ((avFrame.flags() & AVFrame.AV_FRAME_FLAG_CORRUPT) != 0 || avFrame.decode_error_flags() != 0) {
            failOrSkip("corrupt frame (truncated or damaged data)");
            return false;
        }
        long ts = avFrame.best_effort_timestamp();
        long pts;
        if (ts == AV_NOPTS_VALUE) {
            pts = lastPtsMicros == Long.MIN_VALUE ? 0 : lastPtsMicros + frameDurationMicros;
        } else {
            if (startTs == AV_NOPTS_VALUE) {
                startTs = ts;
            }
            pts = toMicros(ts - startTs, timeBase);
        }
        lastPtsMicros = pts;
        if (pts < skipBeforeMicros) {
            return false;
        }
        skipBeforeMicros = Long.MIN_VALUE;
        frame.pts = pts;
        return true;
    }

    private void failOrSkip(String what) throws VideoDecodeException {
        if (!opts.skipCorruptFrames()) {
            throw fail(DlqReason.CORRUPT_SEGMENT, what, 0);
        }
        corruptFramesSkipped++;
    }

    private boolean shouldInterrupt() {
        return aborted || externalAbort.getAsBoolean() || timedOut();
    }

    private boolean timedOut() {
        return System.nanoTime() > ioDeadlineNanos;
    }

    private void deadline() {
        if (network) {
            ioDeadlineNanos = System.nanoTime() + opts.ioTimeoutMicros() * 1000;
        }
    }

    private VideoDecodeException fail(DlqReason reason, String what, int ffmpegError) {
        String msg = input.describe() + ": " + what + (ffmpegError < 0 ? " (" + errorText(ffmpegError) + ")" : "");
        return new VideoDecodeException(reason, msg);
    }

    private static String toFfmpegUrl(String uri) {
        if (uri.regionMatches(true, 0, "file:", 0, 5)) {
            return Paths.get(URI.create(uri)).toString();
        }
        return uri;
    }

    /** Stream time base to microseconds, flooring; falls back to double arithmetic only on overflow. */
    private static long toMicros(long ts, AVRational tb) {
        try {
            return Math.floorDiv(Math.multiplyExact(ts, Math.multiplyExact((long) tb.num(), MICROS)), (long) tb.den());
        } catch (ArithmeticException overflow) {
            return (long) Math.floor((double) ts * tb.num() * MICROS / tb.den());
        }
    }

    private static long fromMicros(long micros, AVRational tb) {
        return Math.floorDiv(Math.multiplyExact(micros, (long) tb.den()), Math.multiplyExact((long) tb.num(), MICROS));
    }

    private static double rate(AVRational r) {
        return r.den() == 0 ? 0 : (double) r.num() / r.den();
    }

    static String errorText(int err) {
        byte[] buf = new byte[256];
        av_strerror(err, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8) + " [" + err + "]";
    }
}

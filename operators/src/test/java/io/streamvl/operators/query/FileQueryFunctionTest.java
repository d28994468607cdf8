package io.streamvl.operators.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.ingest.DecodedFrame;
import io.streamvl.ingest.DecoderOptions;
import io.streamvl.ingest.FrameSampler;
import io.streamvl.ingest.ModelInputSpec;
import io.streamvl.ingest.RealMedia;
import io.streamvl.ingest.VideoDecoder;
import io.streamvl.ingest.VideoInput;
import io.streamvl.kafka.Answer;
import io.streamvl.kafka.AnswerStatus;
import io.streamvl.kafka.Query;
import io.streamvl.kafka.QueryProgress;
import io.streamvl.operators.testing.Harnesses;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.PojoTestUtils;
import org.apache.flink.util.OutputTag;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileQueryFunctionTest {
    private static final ModelInputSpec SPEC = ModelInputSpec.clipDefaults().withSize(64, 64);
    /** 255 frames of 720x576 H.264 at 25 fps, about 10 s. */
    private static final String VIDEO = "balle-jbart.mp4";
    private static final int FRAMES_PER_TURN = 32;
    private static List<Long> videoPts;

    @TempDir
    Path dir;

    @BeforeAll
    static void decodeOnce() throws Exception {
        videoPts = new ArrayList<>();
        try (VideoDecoder d = VideoDecoder.open(VideoInput.ofUri(RealMedia.path(VIDEO)), DecoderOptions.defaults())) {
            for (DecodedFrame f = d.next(); f != null; f = d.next()) {
                videoPts.add(f.ptsMicros());
            }
        }
    }

    /** Media times (ms) of the frames a plain 1 fps sampler picks in [from, to). */
    private static List<Long> sampledMillis(long fromMillis, long toMillis) {
        FrameSampler sampler = new FrameSampler(1.0);
        List<Long> out = new ArrayList<>();
        for (long pts : videoPts) {
            if (pts >= fromMillis * 1000 && pts < toMillis * 1000 && sampler.sample(pts)) {
                out.add(pts / 1000);
            }
        }
        return out;
    }

    private static QuerySettings settings() {
        return QuerySettings.defaults().withDecodeFramesPerTurn(FRAMES_PER_TURN);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, QueryRequest, QueryFrames> harness(String backend,
            QuerySettings settings) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new FileQueryFunction(settings, DecoderOptions.defaults(), SPEC)),
                (QueryRequest r) -> r.query.queryId, Types.STRING);
        Harnesses.useBackend(h, backend);
        return h;
    }

    private static QueryRequest ask(String id, String uri, Long from, Long to) {
        Query q = new Query();
        q.queryId = id;
        q.kind = Query.KIND_ASK;
        q.videoUri = uri;
        q.question = "what is in the video?";
        q.fromMillis = from;
        q.toMillis = to;
        q.maxTokens = 16;
        return new QueryRequest(q, 1_000L);
    }

    /** Runs decode turns, one per millisecond of processing time, until no query has another one scheduled. */
    private static int runTurns(KeyedOneInputStreamOperatorTestHarness<String, QueryRequest, QueryFrames> h, int max)
            throws Exception {
        int turns = 0;
        while (turns < max && h.numProcessingTimeTimers() > 0) {
            h.setProcessingTime(h.getProcessingTime() + 1);
            turns++;
        }
        return turns;
    }

    private static <T> List<T> side(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h, OutputTag<T> tag) {
        List<T> out = new ArrayList<>();
        if (h.getSideOutput(tag) != null) {
            h.getSideOutput(tag).forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    private static List<Long> times(QueryFrames q) {
        return Arrays.stream(q.frames).map(f -> f.timeMillis).toList();
    }

    private static Answer failure(String uri) throws Exception {
        try (var h = harness(Harnesses.HEAP, settings())) {
            h.open();
            h.processElement(new StreamRecord<>(ask("bad", uri, null, null)));
            runTurns(h, 20);
            assertThat(h.extractOutputValues()).isEmpty();
            List<Answer> answers = side(h, QueryOutputs.ANSWERS);
            assertThat(answers).hasSize(1);
            assertThat(answers.get(0).queryId).isEqualTo("bad");
            assertThat(answers.get(0).videoUri).isEqualTo(uri);
            assertThat(answers.get(0).latencyMillis).isNotNull();
            return answers.get(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void decodesARealVideoInTurnsReportingProgressThenEmitsItsSampledFrames(String backend) throws Exception {
        try (var h = harness(backend, settings())) {
            h.open();
            h.processElement(new StreamRecord<>(ask("q1", RealMedia.path(VIDEO), null, null)));
            int turns = runTurns(h, 100);

            assertThat(turns).as("decoded in bounded turns").isGreaterThanOrEqualTo(videoPts.size() / FRAMES_PER_TURN);
            assertThat(side(h, QueryOutputs.ANSWERS)).isEmpty();
            List<QueryFrames> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            QueryFrames q = out.get(0);
            List<Long> expected = sampledMillis(0, Long.MAX_VALUE / 1000);
            assertThat(expected).hasSizeBetween(10, 12);
            assertThat(times(q)).containsExactlyElementsOf(expected);
            assertThat(q.rangeStartMillis).isEqualTo(expected.get(0));
            assertThat(q.rangeEndMillis).isEqualTo(expected.get(expected.size() - 1) + 1000);
            assertThat(q.request.query.queryId).isEqualTo("q1");
            for (QueryFrame f : q.frames) {
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(f.jpeg));
                assertThat(img.getWidth()).isEqualTo(64);
                assertThat(img.getHeight()).isEqualTo(64);
                assertThat(f.fused).isNull();
            }

            List<QueryProgress> progress = side(h, QueryOutputs.PROGRESS);
            assertThat(progress.get(0).stage).isEqualTo(QueryProgress.ACCEPTED);
            List<QueryProgress> decoding = progress.subList(1, progress.size());
            assertThat(decoding).hasSizeGreaterThanOrEqualTo(4)
                    .allSatisfy(p -> assertThat(p.stage).isEqualTo(QueryProgress.DECODING));
            for (int i = 1; i < decoding.size(); i++) {
                assertThat(decoding.get(i).fraction).isGreaterThan(decoding.get(i - 1).fraction);
            }
            assertThat(decoding.get(0).fraction).isGreaterThan(0);
            assertThat(decoding.get(decoding.size() - 1).fraction).isEqualTo(ProgressEvents.DECODING_END);
            assertThat(progress).allSatisfy(p -> assertThat(p.queryId).isEqualTo("q1"));
        }
    }

    @Test
    void aTimeRangeSelectsMediaTimeAndStopsDecodingAtItsEnd() throws Exception {
        try (var h = harness(Harnesses.HEAP, settings())) {
            h.open();
            h.processElement(new StreamRecord<>(ask("q", RealMedia.path(VIDEO), 2000L, 5000L)));
            int turns = runTurns(h, 100);
            QueryFrames q = h.extractOutputValues().get(0);
            assertThat(times(q)).containsExactlyElementsOf(sampledMillis(2000, 5000));
            assertThat(q.frames).hasSize(3);
            assertThat(q.rangeEndMillis).isEqualTo(q.frames[2].timeMillis + 1000);
            assertThat(turns).as("stopped at 5 s, half the video").isLessThan(videoPts.size() / FRAMES_PER_TURN);
        }
    }

    @Test
    void decodingStopsAtTheMediaLimit() throws Exception {
        try (var h = harness(Harnesses.HEAP, settings().withMaxFileMedia(java.time.Duration.ofSeconds(3)))) {
            h.open();
            h.processElement(new StreamRecord<>(ask("q", RealMedia.path(VIDEO), null, null)));
            runTurns(h, 100);
            assertThat(times(h.extractOutputValues().get(0))).containsExactlyElementsOf(sampledMillis(0, 3000));
        }
    }

    @Test
    void aLongVideoIsSampledEvenlyDownToTheCap() throws Exception {
        try (var h = harness(Harnesses.HEAP, settings().withMaxFramesPerQuery(4))) {
            h.open();
            h.processElement(new StreamRecord<>(ask("q", RealMedia.path(VIDEO), null, null)));
            runTurns(h, 100);
            QueryFrames q = h.extractOutputValues().get(0);
            List<Long> t = times(q);
            assertThat(t).hasSize(4);
            long duration = videoPts.get(videoPts.size() - 1) / 1000;
            assertThat(t.get(0)).isLessThan(1000);
            assertThat(t.get(3)).isGreaterThan(duration - 3000);
            for (int i = 1; i < t.size(); i++) {
                assertThat(t.get(i) - t.get(i - 1)).as("even spacing").isBetween(2000L, 3500L);
            }
            assertThat(q.rangeEndMillis).isGreaterThan(t.get(3));
        }
    }

    /**
     * A raw MPEG-4 elementary stream: its container declares no duration, so the sampling rate cannot be lowered
     * up front and the kept frames are thinned as the decode goes.
     */
    @Test
    void aVideoOfUnknownLengthIsThinnedEvenlyToTheCap() throws Exception {
        Path m4v = dir.resolve("long.m4v");
        int fps = 5;
        int seconds = 40;
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(m4v.toString(), 96, 64, 0);
                Frame frame = new Frame(96, 64, Frame.DEPTH_UBYTE, 3)) {
            rec.setFormat("m4v");
            rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            rec.setFrameRate(fps);
            rec.start();
            for (int i = 0; i < fps * seconds; i++) {
                rec.record(frame, avutil.AV_PIX_FMT_BGR24);
            }
            rec.stop();
        }
        try (VideoDecoder d = VideoDecoder.open(VideoInput.ofUri(m4v.toString()), DecoderOptions.defaults())) {
            assertThat(d.info().durationMicros()).as("precondition: length unknown").isNegative();
        }
        try (var h = harness(Harnesses.HEAP, settings().withMaxFramesPerQuery(4))) {
            h.open();
            h.processElement(new StreamRecord<>(ask("q", m4v.toString(), null, null)));
            runTurns(h, 100);
            QueryFrames q = h.extractOutputValues().get(0);
            // 40 samples at 1 fps, thinned to every 8th (0, 8, 16, 24, 32 s), four of them picked evenly
            assertThat(times(q)).containsExactly(0L, 8_000L, 24_000L, 32_000L);
            assertThat(q.rangeEndMillis).isEqualTo(32_000L + 8_000L);
            assertThat(side(h, QueryOutputs.PROGRESS)).extracting(p -> p.stage)
                    .containsExactly(QueryProgress.ACCEPTED, QueryProgress.DECODING);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void aRestoreMidDecodeResumesAndGivesTheSameFrames(String backend) throws Exception {
        QueryFrames uninterrupted;
        try (var h = harness(backend, settings())) {
            h.open();
            h.processElement(new StreamRecord<>(ask("q", RealMedia.path(VIDEO), null, null)));
            runTurns(h, 100);
            uninterrupted = h.extractOutputValues().get(0);
        }
        OperatorSubtaskState snapshot;
        try (var h = harness(backend, settings())) {
            h.open();
            h.processElement(new StreamRecord<>(ask("q", RealMedia.path(VIDEO), null, null)));
            for (int i = 0; i < 3; i++) {
                h.setProcessingTime(h.getProcessingTime() + 1);
            }
            assertThat(h.extractOutputValues()).isEmpty();
            snapshot = h.snapshot(1L, h.getProcessingTime());
        }
        try (var h = harness(backend, settings())) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            runTurns(h, 100);
            assertThat(side(h, QueryOutputs.ANSWERS)).isEmpty();
            QueryFrames resumed = h.extractOutputValues().get(0);
            assertThat(times(resumed)).isEqualTo(times(uninterrupted));
            for (int i = 0; i < resumed.frames.length; i++) {
                assertThat(resumed.frames[i].jpeg).isEqualTo(uninterrupted.frames[i].jpeg);
            }
            assertThat(resumed.rangeEndMillis).isEqualTo(uninterrupted.rangeEndMillis);
            List<QueryProgress> progress = side(h, QueryOutputs.PROGRESS);
            assertThat(progress).isNotEmpty().allSatisfy(p -> assertThat(p.stage).isEqualTo(QueryProgress.DECODING));
        }
    }

    @Test
    void aCorruptFileIsAnUnreadableVideo() throws Exception {
        byte[] mp4 = Files.readAllBytes(RealMedia.file(VIDEO));
        byte[] damaged = Arrays.copyOf(mp4, mp4.length);
        new Random(7).nextBytes(damaged);
        System.arraycopy(mp4, 0, damaged, 0, 64);
        Path corrupt = Files.write(dir.resolve("corrupt.mp4"), damaged);
        Answer a = failure(corrupt.toString());
        assertThat(a.status).isEqualTo(AnswerStatus.UNREADABLE_VIDEO);
        assertThat(a.message).contains("corrupt.mp4");
    }

    @Test
    void textIsNotAVideo() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a video\n".repeat(100));
        assertThat(failure(text.toUri().toString()).status).isEqualTo(AnswerStatus.UNREADABLE_VIDEO);
    }

    @Test
    void aMissingFileAndAnUnreachableUrlAreUnreadableVideos() throws Exception {
        assertThat(failure(dir.resolve("missing.mp4").toString()).status).isEqualTo(AnswerStatus.UNREADABLE_VIDEO);
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Answer a = failure("http://127.0.0.1:" + closedPort + "/x.mp4");
        assertThat(a.status).isEqualTo(AnswerStatus.UNREADABLE_VIDEO);
        assertThat(a.message).contains("127.0.0.1:" + closedPort);
    }

    @Test
    void aRangePastTheEndIsEmpty() throws Exception {
        try (var h = harness(Harnesses.HEAP, settings())) {
            h.open();
            h.processElement(new StreamRecord<>(ask("q", RealMedia.path(VIDEO), 60_000L, 70_000L)));
            runTurns(h, 100);
            assertThat(side(h, QueryOutputs.ANSWERS)).singleElement()
                    .satisfies(a -> assertThat(a.status).isEqualTo(AnswerStatus.EMPTY_RANGE));
        }
    }

    @Test
    void refusesUrisOutsideThePolicyAndAQueryIdAlreadyInFlight() throws Exception {
        QuerySettings confined = settings().withUriPolicy(VideoUriPolicy.localFilesUnder(dir));
        try (var h = harness(Harnesses.HEAP, confined)) {
            h.open();
            h.processElement(new StreamRecord<>(ask("outside", RealMedia.path(VIDEO), null, null)));
            Path inside = Files.copy(RealMedia.file(VIDEO), dir.resolve("inside.mp4"));
            h.processElement(new StreamRecord<>(ask("twice", inside.toString(), null, null)));
            h.processElement(new StreamRecord<>(ask("twice", inside.toString(), null, null)));
            List<Answer> refused = side(h, QueryOutputs.ANSWERS);
            assertThat(refused).extracting(a -> a.queryId + " " + a.status).containsExactly(
                    "outside " + AnswerStatus.INVALID_QUERY, "twice " + AnswerStatus.INVALID_QUERY);
            runTurns(h, 100);
            assertThat(h.extractOutputValues()).singleElement()
                    .satisfies(q -> assertThat(q.request.query.queryId).isEqualTo("twice"));
        }
    }

    @Test
    void decodeStateIsAFlinkPojo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(FileDecode.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(QueryFrames.class);
    }
}

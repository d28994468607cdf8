package io.streamvl.ingest.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamvl.ingest.RealMedia;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.streamvl.ingest.DecoderOptions;
import io.streamvl.ingest.VideoDecoder;
import io.streamvl.ingest.VideoInput;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmenterTest {
    @BeforeAll
    static void quietFfmpeg() {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    @Test
    void transcodesMsmpeg4IntoTwoSecondH264Segments() throws Exception {
        List<EncodedSegment> segments = segment("vtest.avi", new Segmenter(2.0, SegmentContainer.MPEGTS), 795, 100_000);
        assertThat(segments).hasSize(40);
        assertThat(segments.subList(0, 39)).allSatisfy(s -> assertThat(s.frames()).isEqualTo(20));
        assertThat(segments.get(0).durationMicros()).isEqualTo(2_000_000);
    }

    @Test
    void remuxesMpegTsH264() throws Exception {
        segment("sintel-captions.ts", new Segmenter(2.0, SegmentContainer.MPEGTS), 240, 41_667);
    }

    @Test
    void remuxesMp4H264IntoMpegTs() throws Exception {
        segment("balle-jbart.mp4", new Segmenter(2.0, SegmentContainer.MPEGTS), 255, 40_000);
    }

    @Test
    void remuxesIntoFragmentedMp4() throws Exception {
        segment("balle-jbart.mp4", new Segmenter(2.0, SegmentContainer.MP4), 255, 40_000);
        segment("sintel-captions.ts", new Segmenter(2.0, SegmentContainer.MP4), 240, 41_667);
    }

    @Test
    void transcodesIntoFragmentedMp4WhenAsked() throws Exception {
        segment("balle-jbart.mp4", new Segmenter(1.0, SegmentContainer.MP4, true), 255, 40_000);
    }

    @Test
    void mpeg4FromMp4GivesSegmentsOurStrictDecoderAccepts(@TempDir Path dir) throws Exception {
        // MPEG-4 Part 2 keeps its VOL header in the MP4's extradata: a plain remux into MPEG-TS loses it
        Path clip = dir.resolve("mpeg4.mp4");
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(clip.toFile(), 160, 120, 0);
                Frame frame = new Frame(160, 120, Frame.DEPTH_UBYTE, 3)) {
            rec.setFormat("mp4");
            rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            rec.setFrameRate(10);
            rec.setGopSize(10);
            rec.start();
            for (int i = 0; i < 40; i++) {
                rec.record(frame, avutil.AV_PIX_FMT_BGR24);
            }
            rec.stop();
        }
        int total = 0;
        for (EncodedSegment s : new Segmenter(2.0, SegmentContainer.MPEGTS).segmentAll(clip.toString())) {
            try (VideoDecoder d = VideoDecoder.open(VideoInput.ofBytes(s.data(), s.container()), DecoderOptions.defaults())) {
                while (d.next() != null) {
                    total++;
                }
            }
        }
        assertThat(total).isEqualTo(40);
    }

    @Test
    void missingInputFailsClearly(@TempDir Path dir) {
        Path missing = dir.resolve("nope.mp4");
        assertThatThrownBy(() -> new Segmenter(2.0, SegmentContainer.MPEGTS).segmentAll(missing.toString()))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining("input video not found").hasMessageContaining("nope.mp4");
    }

    @Test
    void unreadableInputFailsClearly(@TempDir Path dir) throws IOException {
        Path junk = Files.write(dir.resolve("junk.mp4"), new byte[] {1, 2, 3, 4});
        assertThatThrownBy(() -> new Segmenter(2.0, SegmentContainer.MPEGTS).segmentAll(junk.toString()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot open input video").hasMessageContaining("junk.mp4");
    }

    private static List<EncodedSegment> segment(String file, Segmenter segmenter, int expectedFrames,
            long frameMicros) throws Exception {
        String input = RealMedia.path(file);
        long t0 = System.nanoTime();
        List<EncodedSegment> segments = segmenter.segmentAll(input);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long bytes = segments.stream().mapToLong(s -> s.data().length).sum();
        System.out.printf("%s -> %d %s segments, %d frames, %d bytes in %d ms (%.0f fps)%n", file, segments.size(),
                segments.get(0).container(), segments.stream().mapToInt(EncodedSegment::frames).sum(), bytes, ms,
                expectedFrames * 1000.0 / Math.max(ms, 1));

        assertThat(segments).isNotEmpty();
        assertThat(segments.get(0).startPtsMicros()).isZero();
        int decodedTotal = 0;
        for (int k = 0; k < segments.size(); k++) {
            EncodedSegment s = segments.get(k);
            assertThat(s.sequence()).isEqualTo(k);
            if (k + 1 < segments.size()) {
                assertThat(segments.get(k + 1).startPtsMicros()).isCloseTo(s.endPtsMicros(),
                        within(frameMicros));
            }
            int decoded = decode(s);
            assertThat(decoded).as("frames decoded from segment %d", k).isEqualTo(s.frames());
            decodedTotal += decoded;
        }
        assertThat(decodedTotal).isEqualTo(expectedFrames);
        long lastEnd = segments.get(segments.size() - 1).endPtsMicros();
        assertThat(lastEnd).isCloseTo(expectedFrames * frameMicros, within(2 * frameMicros));
        return segments;
    }

    /** Decodes a segment on its own, from memory; its first frame must be a keyframe. */
    private static int decode(EncodedSegment s) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(new ByteArrayInputStream(s.data()), 0)) {
            g.setFormat(s.container());
            g.start();
            int n = 0;
            Frame f;
            while ((f = g.grabImage()) != null) {
                if (n == 0) {
                    assertThat(f.keyFrame).as("first frame of segment %d is a keyframe", s.sequence()).isTrue();
                }
                n++;
            }
            return n;
        }
    }
}

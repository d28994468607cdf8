package io.streamvl.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {
    /**
     * Leaking one decoder per segment (as forgetting to free its codec context does) grows RSS by
     * gigabytes over the segments below; heap resizing and JIT noise stay well under this.
     */
    private static final long ALLOWED_RSS_GROWTH = 256L * 1024 * 1024;

    /** JavaCPP's own allocations (the converter's buffers, packets, frames) stay flat across a long file. */
    @Test
    void repeatedExtractionKeepsJavaCppAllocationsFlat() throws Exception {
        VideoInput in = VideoInput.ofUri(RealMedia.path("vtest.avi"));
        long totalAfterFirst = -1;
        try (FrameExtractor x = new FrameExtractor(DecoderOptions.defaults(), ModelInputSpec.clipDefaults())) {
            for (int pass = 0; pass < 5; pass++) {
                ExtractStats s = x.extract(in, "mem", 0, -1, new FrameSampler(2), new FrameExtractorTest.Collector());
                assertThat(s.framesDecoded()).isEqualTo(795);
                if (pass == 0) {
                    totalAfterFirst = Pointer.totalBytes();
                }
                assertThat(Pointer.totalBytes()).as("JavaCPP bytes after pass %d", pass)
                        .isLessThanOrEqualTo(totalAfterFirst + 64 * 1024);
            }
        }
    }

    /**
     * The job opens a decoder per segment, thousands of times an hour per stream: anything an open
     * leaves behind (codec context, frame pool, I/O buffers) adds up here.
     */
    @Test
    void decodingManySegmentsFromMemoryDoesNotLeak() throws Exception {
        VideoInput segment = VideoInput.ofBytes(smallSegment(), "mpegts");
        ModelInputSpec spec = ModelInputSpec.clipDefaults().withSize(64, 64);
        long before = 0;
        try (FrameExtractor x = new FrameExtractor(DecoderOptions.defaults(), spec)) {
            for (int pass = 0; pass < 1_050; pass++) {
                if (pass == 50) {
                    before = Pointer.physicalBytes();
                }
                ExtractStats s = x.extract(segment, "mem", 0, pass, new FrameSampler(1), new FrameExtractorTest.Collector());
                assertThat(s.framesDecoded()).isEqualTo(10);
            }
        }
        assertThat(Pointer.physicalBytes()).as("RSS after 1000 segment decodes")
                .isLessThanOrEqualTo(before + ALLOWED_RSS_GROWTH);
    }

    /** Ten 640x360 MPEG-4 frames in MPEG-TS, as a camera segment. */
    private static byte[] smallSegment() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out, 640, 360, 0);
                Frame frame = new Frame(640, 360, Frame.DEPTH_UBYTE, 3)) {
            rec.setFormat("mpegts");
            rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            rec.setFrameRate(10);
            rec.start();
            for (int i = 0; i < 10; i++) {
                rec.record(frame, avutil.AV_PIX_FMT_BGR24);
            }
            rec.stop();
        }
        return out.toByteArray();
    }
}

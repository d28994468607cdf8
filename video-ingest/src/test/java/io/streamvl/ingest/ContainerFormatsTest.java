package io.streamvl.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Containers and codecs the real footage does not cover (WebM/VP8/VP9, Matroska), written by FFmpeg here. */
class ContainerFormatsTest {
    private static final int FRAMES = 30;

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"webm, webm, VP9", "webm, webm, VP8", "mkv, matroska, H264", "mkv, matroska, MPEG4"})
    void decodesEveryFrameFromFileAndFromMemory(String extension, String format, String codec) throws Exception {
        Path clip = dir.resolve("clip." + extension);
        write(clip, format, codecId(codec));
        assertThat(count(VideoInput.ofUri(clip.toString()))).isEqualTo(FRAMES);
        assertThat(count(VideoInput.ofBytes(Files.readAllBytes(clip), format))).isEqualTo(FRAMES);
    }

    private static int codecId(String codec) {
        switch (codec) {
            case "VP9":
                return avcodec.AV_CODEC_ID_VP9;
            case "VP8":
                return avcodec.AV_CODEC_ID_VP8;
            case "H264":
                return avcodec.AV_CODEC_ID_H264;
            default:
                return avcodec.AV_CODEC_ID_MPEG4;
        }
    }

    private static void write(Path file, String format, int codec) throws Exception {
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), 160, 120, 0);
                Frame frame = new Frame(160, 120, Frame.DEPTH_UBYTE, 3)) {
            rec.setFormat(format);
            rec.setVideoCodec(codec);
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            rec.setFrameRate(10);
            rec.setVideoBitrate(200_000);
            rec.start();
            for (int i = 0; i < FRAMES; i++) {
                rec.record(frame, avutil.AV_PIX_FMT_BGR24);
            }
            rec.stop();
        }
    }

    private static int count(VideoInput in) throws Exception {
        int n = 0;
        try (VideoDecoder d = VideoDecoder.open(in, DecoderOptions.defaults())) {
            while (d.next() != null) {
                n++;
            }
        }
        return n;
    }
}

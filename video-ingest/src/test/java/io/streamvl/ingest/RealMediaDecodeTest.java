package io.streamvl.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RealMediaDecodeTest {

    /** Frame counts as {@code ffprobe -count_frames} reports them. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "vtest.avi, 795, 768, 576, msmpeg4v3",
        "sintel-captions.ts, 240, 400, 170, h264",
        "balle-jbart.mp4, 255, 720, 576, h264",
        "balle1-vp9.avi, 295, 320, 240, vp9",
        "Effet_force_magnetique.ogv, 34, 400, 304, theora",
        "g1.avi, 16, 400, 300, mpeg4",
    })
    void decodesEveryFrameOfRealFiles(String name, long frames, int width, int height, String codec)
            throws Exception {
        try (VideoDecoder d = VideoDecoder.open(VideoInput.ofUri(RealMedia.file(name).toString()),
                DecoderOptions.defaults())) {
            VideoInfo info = d.info();
            assertThat(info.width()).isEqualTo(width);
            assertThat(info.height()).isEqualTo(height);
            assertThat(info.codecName()).isEqualTo(codec);
            long n = 0;
            long first = -1;
            for (DecodedFrame f; (f = d.next()) != null; n++) {
                if (n == 0) {
                    first = f.ptsMicros();
                }
                assertThat(f.width()).isEqualTo(width);
                assertThat(f.height()).isEqualTo(height);
            }
            assertThat(n).as("frames of %s", name).isEqualTo(frames);
            assertThat(first).as("first pts of %s", name).isBetween(0L, 100_000L);
        }
    }

    @Test
    void decodesAnInMemoryTransportStreamWithPtsFromZero() throws Exception {
        byte[] ts = Files.readAllBytes(RealMedia.file("sintel-captions.ts"));
        List<Long> pts = new ArrayList<>();
        try (VideoDecoder d = VideoDecoder.open(VideoInput.ofBytes(ts, "mpegts"), DecoderOptions.defaults())) {
            assertThat(d.info().formatName()).isEqualTo("mpegts");
            assertThat(d.info().frameRate()).isCloseTo(24.0, within(0.01));
            for (DecodedFrame f; (f = d.next()) != null; ) {
                pts.add(f.ptsMicros());
            }
        }
        assertThat(pts).hasSize(240);
        assertThat(pts.get(0)).isBetween(0L, 1_000L);
        assertThat(pts).isSorted().doesNotHaveDuplicates();
        assertThat(pts.get(239)).isBetween(9_900_000L, 10_000_000L);
    }

    @Test
    void probesTheContainerWithoutAFormatHint() throws Exception {
        byte[] mp4 = Files.readAllBytes(RealMedia.file("balle-jbart.mp4"));
        long n = 0;
        try (VideoDecoder d = VideoDecoder.open(VideoInput.ofBytes(mp4, null), DecoderOptions.defaults())) {
            while (d.next() != null) {
                n++;
            }
        }
        assertThat(n).isEqualTo(255);
    }

    @Test
    void seeksFrameAccurately() throws Exception {
        try (VideoDecoder d = VideoDecoder.open(VideoInput.ofUri(RealMedia.file("vtest.avi").toString()),
                DecoderOptions.defaults())) {
            d.seekMicros(42_350_000L);
            assertThat(d.next().ptsMicros()).isEqualTo(42_400_000L);
            d.seekMicros(1_000_000L);
            assertThat(d.next().ptsMicros()).isEqualTo(1_000_000L);
            long n = 1;
            while (d.next() != null) {
                n++;
            }
            assertThat(n).isEqualTo(795 - 10);
        }
    }
}

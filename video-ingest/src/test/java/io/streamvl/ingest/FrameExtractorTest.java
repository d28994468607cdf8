package io.streamvl.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class FrameExtractorTest {

    static final class Collector implements FrameListener {
        final List<Long> decoded = new ArrayList<>();
        final List<SampledFrame> sampled = new ArrayList<>();

        @Override
        public void decoded(long eventTimeMillis) {
            decoded.add(eventTimeMillis);
        }

        @Override
        public void sampled(SampledFrame frame) {
            sampled.add(frame);
        }
    }

    @Test
    void samplesVtestAtOneFramePerSecond() throws Exception {
        long base = 1_700_000_000_000L;
        Collector c = new Collector();
        ExtractStats stats;
        try (FrameExtractor x = new FrameExtractor(DecoderOptions.defaults(), ModelInputSpec.clipDefaults())) {
            stats = x.extract(VideoInput.ofUri(RealMedia.file("vtest.avi").toString()), "cam-1", base, -1,
                    new FrameSampler(1.0), c);
        }
        // 795 frames at 10 fps span pts 0 .. 79.4 s: ticks 0..79
        assertThat(stats.framesDecoded()).isEqualTo(795);
        assertThat(stats.framesSampled()).isEqualTo(80);
        assertThat(c.decoded).hasSize(795);
        assertThat(c.sampled).hasSize(80);
        assertThat(stats.newestEventTimeMillis()).isEqualTo(base + 79_400);
        assertThat(stats.info().codecName()).isEqualTo("msmpeg4v3");
        for (int i = 0; i < c.sampled.size(); i++) {
            SampledFrame f = c.sampled.get(i);
            assertThat(f.ptsMicros).isEqualTo(i * 1_000_000L);
            assertThat(f.eventTimeMillis).isEqualTo(base + i * 1000L);
            assertThat(f.streamId).isEqualTo("cam-1");
            assertThat(f.segmentSequence).isEqualTo(-1);
            assertThat(f.sourceWidth).isEqualTo(768);
            assertThat(f.sourceHeight).isEqualTo(576);
            assertThat(f.width).isEqualTo(336);
            assertThat(f.height).isEqualTo(336);
        }
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(c.sampled.get(10).jpeg));
        assertThat(img.getWidth()).isEqualTo(336);
        assertThat(img.getHeight()).isEqualTo(336);
        assertThat(c.sampled.get(10).jpeg.length).isBetween(5_000, 100_000);
    }

    @Test
    void segmentsOfOneStreamShareTheSamplingClock() throws Exception {
        byte[] ts = java.nio.file.Files.readAllBytes(RealMedia.file("sintel-captions.ts"));
        FrameSampler sampler = new FrameSampler(2.0);
        Collector c = new Collector();
        try (FrameExtractor x = new FrameExtractor(DecoderOptions.defaults(), ModelInputSpec.clipDefaults())) {
            x.extract(VideoInput.ofBytes(ts, "mpegts"), "s", 10_000, 0, sampler, c);
            // the same 10 s again as the next segment, starting where the first one ended
            ExtractStats second = x.extract(VideoInput.ofBytes(ts, "mpegts"), "s", 20_000, 1, sampler, c);
            assertThat(second.framesSampled()).isEqualTo(20);
        }
        assertThat(c.sampled).hasSize(40);
        assertThat(c.sampled.get(0).eventTimeMillis).isEqualTo(10_000);
        assertThat(c.sampled.get(20).eventTimeMillis).isEqualTo(20_000);
        assertThat(c.sampled.get(20).segmentSequence).isEqualTo(1);
    }
}

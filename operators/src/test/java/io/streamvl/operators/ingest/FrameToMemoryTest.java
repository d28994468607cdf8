package io.streamvl.operators.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.ingest.SampledFrame;
import io.streamvl.models.llavamini.EncodedFrame;
import io.streamvl.operators.vision.EncodedFrameRecord;
import io.streamvl.operators.vision.FusedTokens;
import io.streamvl.operators.vision.UnencodedFrame;
import org.junit.jupiter.api.Test;

class FrameToMemoryTest {
    private static SampledFrame sampled() {
        SampledFrame f = new SampledFrame();
        f.streamId = "cam-1";
        f.eventTimeMillis = 1_000;
        f.jpeg = new byte[] {1, 2, 3};
        return f;
    }

    @Test
    void keepsTheFrameAndItsZPrimeOnly() {
        float[][] g = new float[36][8];
        float[][] z = {{1, 2, 3, 4, 5, 6, 7, 8}};
        float[][] fused = {{8, 7, 6, 5, 4, 3, 2, 1}};
        EncodedFrameRecord record = new EncodedFrameRecord(sampled(), new EncodedFrame(g, z, fused));

        MemoryFrame kept = new FrameToMemory().map(record);

        assertThat(kept.frame).isSameAs(record.frame);
        assertThat(FusedTokens.fromBytes(kept.fused)).isDeepEqualTo(fused);
        assertThat(kept.fused.length).isLessThan(record.encoded.length / 10);
    }

    @Test
    void anUnencodedFrameHasNoZPrime() {
        MemoryFrame kept = new FrameToMemory().map(new UnencodedFrame().map(sampled()));

        assertThat(kept.frame.eventTimeMillis).isEqualTo(1_000);
        assertThat(kept.fused).isNull();
    }
}

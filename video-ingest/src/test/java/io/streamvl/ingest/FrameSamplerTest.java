package io.streamvl.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameSamplerTest {

    /** Event times (us) of frames at the given rate over [0, seconds). */
    private static long[] frames(double fps, int seconds, long startMicros) {
        int n = (int) Math.round(fps * seconds);
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = startMicros + Math.round(i * 1_000_000 / fps);
        }
        return t;
    }

    private static List<Long> sampled(FrameSampler s, long[] times) {
        List<Long> out = new ArrayList<>();
        for (long t : times) {
            if (s.sample(t)) {
                out.add(t);
            }
        }
        return out;
    }

    @Test
    void oneFramePerSecondFrom24Fps() {
        List<Long> got = sampled(new FrameSampler(1.0), frames(24, 10, 0));
        assertThat(got).containsExactly(0L, 1_000_000L, 2_000_000L, 3_000_000L, 4_000_000L, 5_000_000L,
                6_000_000L, 7_000_000L, 8_000_000L, 9_000_000L);
    }

    @Test
    void sameSamplesHoweverTheStreamIsCutIntoSegments() {
        long[] all = frames(24, 60, 1_700_000_000_123_456L);
        List<Long> whole = sampled(new FrameSampler(1.0), all);
        Random rnd = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            FrameSampler s = new FrameSampler(1.0);
            List<Long> pieces = new ArrayList<>();
            int i = 0;
            while (i < all.length) {
                int len = 1 + rnd.nextInt(100);
                long[] segment = java.util.Arrays.copyOfRange(all, i, Math.min(all.length, i + len));
                // a fresh operator instance per segment, restored from the checkpointed tick
                FrameSampler restored = new FrameSampler(1.0);
                restored.restoreLastTick(s.lastTick());
                pieces.addAll(sampled(restored, segment));
                s.restoreLastTick(restored.lastTick());
                i += len;
            }
            assertThat(pieces).isEqualTo(whole);
        }
        // 60 s starting mid-second touch 61 one-second ticks
        assertThat(whole).hasSize(61);
    }

    @Test
    void fractionalRates() {
        assertThat(sampled(new FrameSampler(0.5), frames(10, 10, 0)))
                .containsExactly(0L, 2_000_000L, 4_000_000L, 6_000_000L, 8_000_000L);
        assertThat(sampled(new FrameSampler(2.5), frames(10, 2, 0)))
                .containsExactly(0L, 400_000L, 800_000L, 1_200_000L, 1_600_000L);
        FrameSampler s = new FrameSampler(2.5);
        assertThat(s.tickOf(399_999)).isZero();
        assertThat(s.tickOf(400_000)).isEqualTo(1);
        assertThat(s.tickOf(-1)).isEqualTo(-1);
    }

    @Test
    void ticksAreAnchoredAtZeroNotAtTheFirstFrame() {
        FrameSampler s = new FrameSampler(1.0);
        assertThat(s.sample(1_900_000)).isTrue();
        assertThat(s.sample(1_999_999)).isFalse();
        assertThat(s.sample(2_000_000)).isTrue();
    }

    @Test
    void lateAndOutOfOrderFramesAreNotSampled() {
        FrameSampler s = new FrameSampler(1.0);
        assertThat(s.sample(5_000_000)).isTrue();
        assertThat(s.sample(3_500_000)).isFalse();
        assertThat(s.sample(5_500_000)).isFalse();
        assertThat(s.lastTick()).isEqualTo(5);
        assertThat(s.sample(6_000_000)).isTrue();
    }

    @Test
    void restoresLastTick() {
        FrameSampler s = new FrameSampler(1.0);
        assertThat(s.lastTick()).isEqualTo(FrameSampler.NO_TICK);
        s.restoreLastTick(41);
        assertThat(s.sample(41_999_999)).isFalse();
        assertThat(s.sample(42_000_000)).isTrue();
        assertThat(s.lastTick()).isEqualTo(42);
    }

    @Test
    void rejectsNonPositiveRates() {
        assertThatThrownBy(() -> new FrameSampler(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FrameSampler(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}

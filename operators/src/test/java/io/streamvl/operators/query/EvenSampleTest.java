package io.streamvl.operators.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EvenSampleTest {
    @Test
    void keepsEverythingUpToTheCap() {
        assertThat(EvenSample.indices(0, 4)).isEmpty();
        assertThat(EvenSample.indices(3, 4)).containsExactly(0, 1, 2);
        assertThat(EvenSample.indices(4, 4)).containsExactly(0, 1, 2, 3);
    }

    @Test
    void picksEvenlyFromFirstToLast() {
        assertThat(EvenSample.indices(10, 4)).containsExactly(0, 3, 6, 9);
        assertThat(EvenSample.indices(9, 4)).containsExactly(0, 3, 5, 8);
        assertThat(EvenSample.indices(5, 2)).containsExactly(0, 4);
        assertThat(EvenSample.indices(7, 1)).containsExactly(3);
    }

    @Test
    void picksAreDistinctAndAscendingAtEveryRatio() {
        for (int n = 1; n < 300; n++) {
            for (int cap = 1; cap <= 70; cap++) {
                int[] picks = EvenSample.indices(n, cap);
                assertThat(picks).hasSize(Math.min(n, cap));
                for (int i = 1; i < picks.length; i++) {
                    assertThat(picks[i]).isGreaterThan(picks[i - 1]);
                }
                if (picks.length > 1) {
                    assertThat(picks[0]).isZero();
                    assertThat(picks[picks.length - 1]).isEqualTo(n - 1);
                }
            }
        }
    }

    @Test
    void aCapBelowOneIsRefused() {
        assertThatThrownBy(() -> EvenSample.indices(5, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}

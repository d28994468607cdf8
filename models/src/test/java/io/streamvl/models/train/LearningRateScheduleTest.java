package io.streamvl.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
    @Test
    void warmsUpLinearlyThenDecaysByCosineToTheFloor() {
        LearningRateSchedule s = new LearningRateSchedule(1e-3f, 100, 1100, 0.1f);
        assertThat(s.rate(1)).isCloseTo(1e-5f, within(1e-9f));
        assertThat(s.rate(50)).isCloseTo(5e-4f, within(1e-9f));
        assertThat(s.rate(100)).isCloseTo(1e-3f, within(1e-9f));
        // halfway through the decay: floor + (1 - floor) / 2
        assertThat(s.rate(600)).isCloseTo(0.55e-3f, within(1e-8f));
        assertThat(s.rate(1100)).isCloseTo(1e-4f, within(1e-9f));
        assertThat(s.rate(5000)).isCloseTo(1e-4f, within(1e-9f));
        for (long step = 101; step < 1100; step++) {
            assertThat(s.rate(step + 1)).isLessThanOrEqualTo(s.rate(step));
        }
    }

    @Test
    void constantIsTheSameEveryStepAndBadSchedulesAreRefused() {
        LearningRateSchedule c = LearningRateSchedule.constant(3e-4f);
        assertThat(c.rate(1)).isEqualTo(3e-4f);
        assertThat(c.rate(100_000)).isEqualTo(3e-4f);
        assertThatThrownBy(() -> new LearningRateSchedule(0, 0, 10, 0.1f)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LearningRateSchedule(1e-3f, 20, 10, 0.1f))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LearningRateSchedule(1e-3f, 0, 10, 1.5f)).isInstanceOf(IllegalArgumentException.class);
    }
}

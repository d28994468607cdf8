package io.streamvl.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimeArgumentTest {
    @Test
    void streamTimesAreEpochMillisInstantsOrDurationsAgo() {
        long now = 1_764_151_320_000L;
        assertThat(TimeArgument.eventTime("1764151000000", now)).isEqualTo(1_764_151_000_000L);
        assertThat(TimeArgument.eventTime("2025-11-26T10:02:00Z", now)).isEqualTo(1_764_151_320_000L);
        assertThat(TimeArgument.eventTime("-5min", now)).isEqualTo(now - 300_000);
        assertThat(TimeArgument.eventTime(" -90 s ", now)).isEqualTo(now - 90_000);
        assertThatThrownBy(() -> TimeArgument.eventTime("10:02", now)).hasMessageContaining("'10:02' is not a time");
    }

    @Test
    void videoTimesAreMillisOrDurationsFromTheStart() {
        assertThat(TimeArgument.mediaTime("1500")).isEqualTo(1500);
        assertThat(TimeArgument.mediaTime("90s")).isEqualTo(90_000);
        assertThat(TimeArgument.mediaTime("2 min")).isEqualTo(120_000);
        assertThatThrownBy(() -> TimeArgument.mediaTime("later")).hasMessageContaining("'later'");
    }
}

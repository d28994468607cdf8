package io.streamvl.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.kafka.QueryProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static QueryProgress event(String stage, double fraction, String message) {
        return QueryProgress.of("q-1", stage, fraction, message, 0);
    }

    @Test
    void onATerminalOneLineIsRedrawnInPlace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        bar.update(event(QueryProgress.DECODING, 0.25, "decoded 40 frames, at 4000 ms"));
        bar.update(event(QueryProgress.DONE, 1.0, null));
        bar.finish();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("\r[" + "#".repeat(8) + "-".repeat(22) + "]  25% decoding decoded 40 frames");
        assertThat(out.split("\r")).hasSize(3);
        assertThat(out.strip()).endsWith("[" + "#".repeat(30) + "] 100% done");
        assertThat(out).endsWith("\n");
    }

    @Test
    void elsewhereEachEventIsALineAndLateEventsAreSkipped() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        bar.update(event(QueryProgress.ACCEPTED, 0, "x".repeat(80)));
        bar.update(event(QueryProgress.GENERATING, 0.7, null));
        bar.update(event(QueryProgress.DECODING, 0.4, "a step that arrived late"));
        bar.finish();
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "[" + "-".repeat(30) + "]   0% accepted " + "x".repeat(47) + "...",
                "[" + "#".repeat(21) + "-".repeat(9) + "]  70% generating");
    }
}

package io.streamvl.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line as a user meets it: help, exit codes and messages for bad input. */
public class StreamvlCliTest {
    public record Run(int code, String out, String err) {}

    public static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = StreamvlCli.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : new String[] {"demo", "local", "run", "produce", "ask", "tail", "bench", "model"}) {
            Run r = run(cmd, "--help");
            assertThat(r.code()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).contains("Usage:").contains(cmd);
        }
        assertThat(run("bench", "decode", "--help").out()).contains("--input").contains("--json");
        assertThat(run("bench", "llm", "--help").out()).contains("--config").contains("tiny|small");
    }

    @Test
    void askSaysWhatAQuestionNeedsBeforeConnectingAnywhere() {
        assertThat(run("ask", "--help").out()).contains("--stream", "--video", "--standing", "--trigger", "--cancel",
                "--from", "--to", "--json", "--timeout");
        Run noSubject = run("ask", "--bootstrap", "127.0.0.1:1", "What happened?");
        assertThat(noSubject.code()).isNotZero();
        assertThat(noSubject.err()).contains("--stream ID or --video URI");
        Run both = run("ask", "--stream", "cam-1", "--video", "/v.mp4", "q?");
        assertThat(both.err()).contains("--stream ID or --video URI");
        assertThat(run("ask", "--cancel", "q-1", "--stream", "cam-1").err()).contains("--cancel takes nothing");
        assertThat(run("ask", "--stream", "cam-1", "--trigger", "yes", "q?").err()).contains("--trigger needs --standing");
        assertThat(run("ask", "--stream", "cam-1", "--from", "yesterday", "q?").err()).contains("'yesterday' is not a time");
    }

    @Test
    void demoWithoutItsModelFailsAtOnceNamingTheKey() {
        Run r = run("demo", "--once", "-D", "streamvl.model.bundle=/no/such/bundle");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("streamvl.model.bundle", "/no/such/bundle", "does not exist");
    }

    @Test
    void produceOnAMissingInputExitsNonZeroWithAClearMessage() {
        Run r = run("produce", "--input", "/no/such/video.mp4", "--stream", "cam-1", "--bootstrap", "127.0.0.1:1");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("cannot read input /no/such/video.mp4").contains("no such file");
    }

    @Test
    void unknownOptionsAndBadConfigValuesAreRejected() {
        assertThat(run("produce", "--bogus").code()).isNotZero();
        Run r = run("bench", "decode", "--input", "x.mp4", "-D", "streamvl.sampling.fps=often");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("streamvl.sampling.fps");
    }

    @Test
    void benchDecodeOnAMissingFileSaysSo() {
        Run r = run("bench", "decode", "--input", "/no/such.avi", "--no-baseline");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("cannot read input /no/such.avi");
    }
}

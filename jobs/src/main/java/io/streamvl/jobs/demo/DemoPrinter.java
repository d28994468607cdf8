package io.streamvl.jobs.demo;

import io.streamvl.kafka.Alert;
import io.streamvl.kafka.Answer;
import io.streamvl.kafka.AnswerStatus;
import io.streamvl.kafka.Caption;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What the demo shows. As text: each record on one line, prefixed by the video time it covers (camera time from
 * the camera's start, media time for a file) and followed by what the shapes world says is right. As JSON: each
 * caption and answer as it is on its topic, one per line, and nothing else.
 */
final class DemoPrinter {
    private final PrintStream out;
    private final boolean json;

    DemoPrinter(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** A line of narration; not part of the JSON output. */
    void say(String line) {
        if (!json) {
            out.println(line);
        }
    }

    void caption(byte[] record, Caption c, long t0, String expected) {
        if (json) {
            out.println(new String(record, StandardCharsets.UTF_8));
            return;
        }
        out.printf("%s caption  %s%s%n", range(c.windowStartMillis - t0, c.windowEndMillis - t0), text(c.caption),
                expected == null ? "" : "   (expected: " + expected + ")");
    }

    void alert(Alert a, long t0, String expected) {
        say(String.format("%s alert    %s -> %s%s%s", range(a.windowStartMillis - t0, a.windowEndMillis - t0),
                a.question, text(a.answer), a.triggered ? "  [trigger]" : "", expected == null ? "" : "   (expected: "
                        + expected + ")"));
    }

    void asked(DemoScript.Asked a, long t0) {
        var q = a.query();
        String about = q.videoUri != null ? "video " + Path.of(q.videoUri).getFileName()
                : q.fromMillis != null ? q.streamId + " " + range(q.fromMillis - t0, q.toMillis - t0)
                : "every window of " + q.streamId;
        say(String.format("              ask      %s: %s", about, q.question));
    }

    void answer(byte[] record, Answer a, long t0, DemoScript.Asked asked) {
        if (json) {
            out.println(new String(record, StandardCharsets.UTF_8));
            return;
        }
        if (!AnswerStatus.OK.equals(a.status)) {
            out.printf("              answer   %s: %s: %s%n", a.queryId, a.status, a.message);
        } else if (a.answer == null) {
            out.printf("              answer   %s: %s%n", a.queryId, a.message);
        } else {
            String where = a.videoUri != null ? Path.of(a.videoUri).getFileName() + " "
                    + range(a.rangeStartMillis, a.rangeEndMillis) : range(a.rangeStartMillis - t0, a.rangeEndMillis - t0);
            out.printf("%s answer   %s -> %s   (%d frames%s)%n", where, a.question, text(a.answer), a.framesUsed,
                    asked == null || asked.truth() == null ? "" : "; expected: " + asked.truth());
        }
    }

    /** A generated text as shown: a model may end one before its first word. */
    private static String text(String generated) {
        return generated == null || generated.isBlank() ? "(nothing)" : generated;
    }

    /** "[mm:ss-mm:ss]", milliseconds from the video's start. */
    static String range(long fromMillis, long toMillis) {
        return "[" + clock(fromMillis) + "-" + clock(toMillis) + "]";
    }

    private static String clock(long millis) {
        long s = Math.floorDiv(millis, 1000);
        return String.format("%02d:%02d", s / 60, s % 60);
    }
}

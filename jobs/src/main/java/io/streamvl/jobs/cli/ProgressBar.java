package io.streamvl.jobs.cli;

import io.streamvl.kafka.QueryProgress;
import java.io.PrintStream;

/**
 * A query's progress on stderr: on a terminal one line redrawn in place, {@code [#####-----]  50% decoding ...};
 * otherwise (a pipe, a log) one line per event. A query's events come from several operators and may reach the
 * topic out of order, so an event behind the one shown is skipped rather than moving the bar back.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private static final int MESSAGE_CHARS = 50;

    private final PrintStream err;
    private final boolean redraw;
    private boolean drawn;
    private double shown = -1;

    ProgressBar(PrintStream err, boolean redraw) {
        this.err = err;
        this.redraw = redraw;
    }

    void update(QueryProgress p) {
        if (p.fraction < shown) {
            return;
        }
        shown = p.fraction;
        int filled = (int) Math.round(Math.max(0, Math.min(1, p.fraction)) * WIDTH);
        String message = p.message == null ? "" : " " + shorten(p.message);
        String line = "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
                + String.format("%3d%% %s%s", Math.round(100 * p.fraction), p.stage, message);
        if (redraw) {
            // pad over the remains of a longer previous line
            err.print("\r" + String.format("%-" + (WIDTH + MESSAGE_CHARS + 20) + "s", line));
            drawn = true;
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Ends the redrawn line, so that what follows starts on its own. */
    void finish() {
        if (drawn) {
            err.println();
            drawn = false;
        }
    }

    private static String shorten(String s) {
        return s.length() <= MESSAGE_CHARS ? s : s.substring(0, MESSAGE_CHARS - 3) + "...";
    }
}

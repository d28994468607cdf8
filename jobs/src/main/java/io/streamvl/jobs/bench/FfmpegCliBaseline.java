package io.streamvl.jobs.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The baseline our decoder is compared with: the FFmpeg command-line tool decoding the same file to
 * the null muxer ({@code ffmpeg -benchmark -threads N -i FILE -map 0:v:0 -f null -}).
 */
public final class FfmpegCliBaseline {
    private static final Pattern FRAMES = Pattern.compile("frame=\\s*(\\d+)");
    private static final Pattern RTIME = Pattern.compile("rtime=([0-9.]+)s");

    /**
     * {@code seconds}: ffmpeg's own decode time ({@code -benchmark} rtime), which leaves out process
     * start-up so the comparison is of decoding alone; {@code wallSeconds}: the whole command.
     */
    public record Result(String version, long frames, double seconds, double wallSeconds, double fps) {}

    private FfmpegCliBaseline() {}

    /** Null when no ffmpeg executable is on the PATH. */
    public static Result run(Path input, int threads) throws IOException, InterruptedException {
        String version = version();
        if (version == null) {
            return null;
        }
        List<String> cmd = List.of("ffmpeg", "-hide_banner", "-nostdin", "-benchmark", "-threads", Integer.toString(threads),
                "-i", input.toString(), "-map", "0:v:0", "-f", "null", "-");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("ffmpeg failed on " + input + ": " + tail(log));
        }
        double wall = (System.nanoTime() - start) / 1e9;
        long frames = -1;
        Matcher m = FRAMES.matcher(log);
        while (m.find()) {
            frames = Long.parseLong(m.group(1));
        }
        Matcher r = RTIME.matcher(log);
        double seconds = r.find() ? Double.parseDouble(r.group(1)) : wall;
        return new Result(version, frames, seconds, wall, frames / seconds);
    }

    private static String version() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            String first = out.lines().findFirst().orElse("");
            return first.startsWith("ffmpeg version ") ? first.split(" ")[2] : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String tail(String log) {
        return log.length() <= 500 ? log : log.substring(log.length() - 500);
    }
}

package io.streamvl.ingest;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Core of {@code streamvl bench decode}: decode-only throughput over a whole file, then the ingest
 * pipeline (decode + sample + {@link ModelInputConverter#toTensor}), after one warm-up pass.
 */
public final class DecodeBenchmark {
    private DecodeBenchmark() {}

    /**
     * @param convertMsPerFrame mean toTensor time over the sampled frames
     * @param framesConverted frames sampled and converted in the pipeline pass
     */
    public record BenchResult(String input, int threads, int width, int height, String codec, long frames,
            double decodeFps, double pipelineFps, long framesConverted, double convertMsPerFrame) {

        public String toJson() {
            return String.format(Locale.ROOT,
                    "{\"input\":\"%s\",\"threads\":%d,\"width\":%d,\"height\":%d,\"codec\":\"%s\",\"frames\":%d,"
                            + "\"decode_fps\":%.1f,\"pipeline_fps\":%.1f,\"frames_converted\":%d,"
                            + "\"convert_ms_per_frame\":%.3f}",
                    jsonEscape(input), threads, width, height, jsonEscape(codec), frames, decodeFps, pipelineFps,
                    framesConverted, convertMsPerFrame);
        }
    }

    public static BenchResult run(Path input, int threads, ModelInputSpec spec, double sampleFps)
            throws VideoDecodeException {
        DecoderOptions opts = DecoderOptions.defaults().withThreads(threads);
        VideoInput in = VideoInput.ofUri(input.toString());
        try (ModelInputConverter converter = new ModelInputConverter(spec)) {
            float[] tensor = new float[spec.tensorLength()];
            pipeline(in, opts, converter, tensor, sampleFps);
            long t0 = System.nanoTime();
            VideoInfo info;
            long frames = 0;
            try (VideoDecoder d = VideoDecoder.open(in, opts)) {
                info = d.info();
                while (d.next() != null) {
                    frames++;
                }
            }
            long decodeNanos = System.nanoTime() - t0;
            long t1 = System.nanoTime();
            long[] converted = pipeline(in, opts, converter, tensor, sampleFps);
            long pipelineNanos = System.nanoTime() - t1;
            return new BenchResult(input.toString(), threads, info.width(), info.height(), info.codecName(), frames,
                    perSecond(frames, decodeNanos), perSecond(frames, pipelineNanos), converted[0],
                    converted[0] == 0 ? 0 : converted[1] / 1e6 / converted[0]);
        }
    }

    /** Returns {frames converted, nanoseconds spent converting}. */
    private static long[] pipeline(VideoInput in, DecoderOptions opts, ModelInputConverter converter, float[] tensor,
            double sampleFps) throws VideoDecodeException {
        FrameSampler sampler = new FrameSampler(sampleFps);
        long count = 0;
        long nanos = 0;
        try (VideoDecoder d = VideoDecoder.open(in, opts)) {
            for (DecodedFrame f; (f = d.next()) != null; ) {
                if (sampler.sample(f.ptsMicros())) {
                    long t = System.nanoTime();
                    converter.toTensor(f, tensor);
                    nanos += System.nanoTime() - t;
                    count++;
                }
            }
        }
        return new long[] {count, nanos};
    }

    private static double perSecond(long frames, long nanos) {
        return nanos == 0 ? 0 : frames * 1e9 / nanos;
    }

    private static String jsonEscape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}

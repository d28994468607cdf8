package io.streamvl.jobs.bench.pipeline;

import static io.streamvl.jobs.config.StreamvlOptions.*;

import io.streamvl.jobs.LocalStack;
import io.streamvl.jobs.bench.pipeline.CameraFleet.Windows;
import io.streamvl.jobs.bench.pipeline.ProducedCaptions.Completion;
import io.streamvl.jobs.config.StreamvlConfig;
import io.streamvl.jobs.demo.Demo;
import io.streamvl.kafka.SegmentPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import org.apache.flink.configuration.Configuration;

/**
 * {@code streamvl bench pipeline}: the whole job as the demo runs it (embedded Kafka and MiniCluster, RocksDB,
 * checkpoints every second, exactly-once sinks, the demo model, windows of one shapes-world clip), in the caption
 * mode of the configuration ({@code streamvl.caption.mode}, see {@link ModeStages}), with {@code N} cameras,
 * published as fast as the pipeline captions them ({@link Pacer}) with the event times of cameras. After warm-up
 * (the windows in flight, published at once at the start, and {@value #WARMUP_WINDOWS} more) it measures, between
 * two window completions at least {@code measure} apart:
 * <ul>
 *   <li>frames per second: sampled frames captioned (each decoded, stored and seen by the mode's vision side once)
 *       per wall second;</li>
 *   <li>caption latency: from when the window could first close (every camera's first segment of the next window
 *       acknowledged by the broker: with no out-of-orderness, the segments whose frames take each camera's caption
 *       clock past the window's end) to when a read_committed consumer reads its caption, so it includes the wait
 *       for the checkpoint that commits it;</li>
 *   <li>a {@link Profile};</li>
 * </ul>
 * then, once everything published is stored, the state per stream-hour from a checkpoint ({@link StateSize}).
 * Event time starts a day back: faster than real time, it would otherwise run past the broker's limit on future
 * record timestamps (the job's outputs carry their event time).
 */
public final class PipelineBenchmark {
    static final int WARMUP_WINDOWS = 3;
    static final long SEED = 1;
    /** How long the pipeline may go without captioning a window before the run counts as failed. */
    static final Duration STALL = Duration.ofMinutes(2);
    private static final Duration EVENT_TIME_BACK = Duration.ofDays(1);

    /**
     * @param measure wall time the measurement runs at least, after warm-up
     * @param inFlightFrames sampled frames published but not yet captioned the cameras aim for (whole windows, at
     *     least {@value #MIN_WINDOWS})
     */
    public record Options(int streams, Duration measure, int inFlightFrames) {
        public static final int DEFAULT_IN_FLIGHT_FRAMES = 128;
        static final int MIN_WINDOWS = 4;

        public Options {
            if (streams < 1 || measure.isNegative() || measure.isZero() || inFlightFrames < 1) {
                throw new IllegalArgumentException("the benchmark needs at least 1 stream, a positive duration and "
                        + "at least 1 frame in flight, got " + streams + ", " + measure + " and " + inFlightFrames);
            }
        }

        /**
         * Windows in flight: enough for the frames, and at least {@value #MIN_WINDOWS}: a window's frames reach
         * the model in bursts and its caption waits for the next window, so with fewer the stages take turns.
         */
        int outstandingWindows(int framesPerWindow) {
            return Math.max(MIN_WINDOWS, -Math.floorDiv(-inFlightFrames, streams * framesPerWindow));
        }
    }

    private PipelineBenchmark() {}

    /**
     * Publishes until {@code until}, and on by {@code measure} at a time until the job's metrics show the vision side
     * has worked since {@code from}: on a loaded machine a checkpoint can stall the sinks for seconds, and a short
     * measurement then reads only the captions of windows encoded during warm-up, released in one burst, with no work
     * behind them.
     *
     * @throws TimeoutException when no vision work shows within {@link #STALL}
     */
    private static JobMetrics measureWork(Pacer pacer, FlinkRest rest, ModeStages mode, JobMetrics from, long until,
            Duration measure) throws Exception {
        long deadline = until + STALL.toMillis();
        pacer.publishUntil(until);
        JobMetrics to = JobMetrics.read(rest);
        while (to.sum(mode.framesEncoded()) <= from.sum(mode.framesEncoded())) {
            if (System.currentTimeMillis() > deadline) {
                throw new TimeoutException("captions came but the vision side encoded no frame in "
                        + (System.currentTimeMillis() - from.atMillis()) / 1000 + " s of measurement");
            }
            pacer.publishUntil(System.currentTimeMillis() + measure.toMillis());
            to = JobMetrics.read(rest);
        }
        return to;
    }

    /** Runs the benchmark in {@code work} (Kafka log, checkpoints, clips), on the user's configuration. */
    public static PipelineBenchResult run(Configuration user, Options options, Path work) throws Exception {
        Configuration conf = FlinkRest.configure(Demo.configure(user, work));
        ModeStages mode = ModeStages.of(StreamvlConfig.captionMode(conf));
        long windowMillis = conf.get(WINDOW).toMillis();
        Windows windows = new Windows(Math.floorDiv(System.currentTimeMillis() - EVENT_TIME_BACK.toMillis(),
                windowMillis) * windowMillis, windowMillis);
        int framesPerWindow = (int) Math.round(conf.get(SAMPLING_FPS) * windowMillis / 1000.0);
        int outstanding = options.outstandingWindows(framesPerWindow);
        CameraFleet fleet = CameraFleet.render(work.resolve("clips"), SEED, options.streams(), windows);
        try (LocalStack stack = LocalStack.start(conf, null, true)) {
            Configuration running = stack.configuration();
            FlinkRest rest = FlinkRest.of(conf, stack.job().getJobID());
            try (ProducedCaptions produced = ProducedCaptions.start(running, options.streams(), windows);
                    CommittedCaptions committed = CommittedCaptions.start(running, options.streams(), windows);
                    SegmentPublisher publisher = new SegmentPublisher(running.get(BOOTSTRAP_SERVERS),
                            running.get(TOPIC_SEGMENTS), running.get(MAX_MESSAGE_BYTES))) {
                Pacer pacer = new Pacer(fleet, publisher, produced, outstanding, STALL);
                long started = System.currentTimeMillis();
                // the first windows in flight are published at once and captioned in one burst, the model's
                // work on them done before their captions are read: measuring from them sees captions but no work
                pacer.publishUntilCaptioned(outstanding + WARMUP_WINDOWS);

                int first = produced.complete();
                Completion from = produced.completion(first - 1);
                JobMetrics metricsFrom = JobMetrics.read(rest);
                ThreadCpu cpuFrom = ThreadCpu.now();
                Profile profile;
                try (StageSampler stages = StageSampler.start(mode)) {
                    JobMetrics metricsTo = measureWork(pacer, rest, mode, metricsFrom,
                            from.atMillis() + options.measure().toMillis(), options.measure());
                    profile = Profile.between(mode, metricsFrom, metricsTo, cpuFrom, ThreadCpu.now(),
                            stages.loads());
                }
                int last = produced.complete();
                Completion to = produced.completion(last - 1);
                if (last == first) {
                    throw new IllegalStateException("no window was captioned in " + options.measure().toSeconds()
                            + " s of measurement");
                }

                List<Long> measured = LongStream.range(first, last).boxed().toList();
                List<Long> latencies = new ArrayList<>();
                committed.await(measured, STALL).forEach((window, readAt) ->
                        readAt.forEach(t -> latencies.add(t - pacer.closableAt(window))));
                StateSize state = StateSize.afterQuiescence(rest, fleet.segments(), STALL);
                return new PipelineBenchResult(options.streams(), (to.atMillis() - from.atMillis()) / 1000.0,
                        (from.atMillis() - started) / 1000.0, measured.size(), outstanding * framesPerWindow
                        * options.streams(), windowMillis, running.get(SAMPLING_FPS),
                        running.get(CHECKPOINT_INTERVAL).toMillis(), committed.mode(),
                        (to.framesThrough() - from.framesThrough()) * 1000.0 / (to.atMillis() - from.atMillis()),
                        Latencies.of(latencies), profile, state, rest.checkpoints().path("summary"));
            }
        }
    }
}

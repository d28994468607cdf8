package io.streamvl.jobs.bench.pipeline;

import io.streamvl.jobs.demo.ShapesCamera;
import io.streamvl.jobs.demo.ShapesCamera.Clip;
import io.streamvl.kafka.SegmentPublisher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Shapes-world cameras that play clips one caption window each, as the demo's camera does, published as fast as
 * they are asked to rather than in real time: the event times are a camera's, the pace is the benchmark's. All
 * cameras publish a window's segments in lock-step (every camera's first segment, then every camera's second), so
 * segment start times never go back on any partition and, with no out-of-orderness, no frame is ever late. The clips
 * are rendered once and shared (camera {@code s} plays clip {@code (s + k) mod POOL_CLIPS} in window {@code k}): H.264
 * encoding a clip per camera and window would cost the CPU the pipeline is measured on.
 */
final class CameraFleet {
    static final int POOL_CLIPS = 4;

    /** Caption windows of one clip each, numbered from {@code t0}. */
    record Windows(long t0, long millis) {
        long startOf(long index) {
            return t0 + index * millis;
        }

        long indexOf(long startMillis) {
            return (startMillis - t0) / millis;
        }
    }

    private final List<ShapesCamera> cameras;
    private final List<Clip> pool;
    private final Windows windows;
    private final long[] sequences;
    private int published;
    private long segments;

    private CameraFleet(List<ShapesCamera> cameras, List<Clip> pool, Windows windows) {
        this.cameras = cameras;
        this.pool = pool;
        this.windows = windows;
        this.sequences = new long[cameras.size()];
    }

    static CameraFleet render(Path dir, long seed, int streams, Windows windows)
            throws IOException, InterruptedException {
        ShapesCamera renderer = new ShapesCamera(dir, seed, "bench-clips", windows.t0());
        List<Clip> pool = new ArrayList<>();
        for (int i = 0; i < POOL_CLIPS; i++) {
            pool.add(renderer.clip(i));
        }
        List<ShapesCamera> cameras = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            cameras.add(new ShapesCamera(dir, seed, "bench-cam-" + s, windows.t0()));
        }
        return new CameraFleet(cameras, pool, windows);
    }

    /**
     * Publishes the next window of every camera.
     *
     * @return the wall time the window before it could close, epoch ms: when every camera's first segment of this
     *     window was acknowledged, the segments whose frames take the cameras' caption clocks past that window's
     *     end; -1 for the first
     */
    long publishNextWindow(SegmentPublisher publisher) throws InterruptedException {
        int window = published;
        List<Clip> clips = new ArrayList<>();
        int segmentsPerClip = 0;
        for (int s = 0; s < cameras.size(); s++) {
            Clip c = pool.get((s + window) % pool.size());
            clips.add(new Clip(window, c.video(), windows.startOf(window), c.segments()));
            segmentsPerClip = Math.max(segmentsPerClip, c.segments().size());
        }
        long closable = -1;
        for (int j = 0; j < segmentsPerClip; j++) {
            for (int s = 0; s < cameras.size(); s++) {
                Clip clip = clips.get(s);
                if (j < clip.segments().size()) {
                    sequences[s] = cameras.get(s).publish(publisher, clip, j, j + 1, sequences[s], false);
                    segments++;
                }
            }
            if (j == 0 && window > 0) {
                closable = System.currentTimeMillis();
            }
        }
        published++;
        return closable;
    }

    /** Windows published so far. */
    int published() {
        return published;
    }

    /** Segments published so far, of all cameras. */
    long segments() {
        return segments;
    }
}

package io.streamvl.jobs.bench.pipeline;

import static io.streamvl.jobs.bench.pipeline.JobMetrics.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamvl.jobs.bench.pipeline.FlinkRest.Vertex;
import io.streamvl.jobs.caption.LiveCaptionPipeline;
import io.streamvl.jobs.ingest.IngestJob;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The job's state as checkpointed (RocksDB, full size rather than the increment) once every segment published has
 * been decoded and every sampled frame stored, per vertex: the video memory (each frame's JPEG, and in llava-mini mode
 * its Z', kept for {@code streamvl.memory.retention}) and the caption operator's open windows (llava-mini's running
 * sums or ts-llava's JPEGs, dropped when captioned).
 *
 * @param framesHeld frames in the video memory when the checkpoint was taken, all streams
 * @param videoMemoryBytes the video memory's state
 * @param captionWindowBytes the live captions' state: each stream's last window, open and full
 * @param totalBytes the whole job's state
 */
record StateSize(double framesHeld, double videoMemoryBytes, double captionWindowBytes,
        double totalBytes) {
    private static final Duration POLL = Duration.ofMillis(500);

    double bytesPerFrame() {
        return videoMemoryBytes / framesHeld;
    }

    static StateSize afterQuiescence(FlinkRest rest, long segmentsPublished, Duration timeout)
            throws IOException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobMetrics m = JobMetrics.read(rest);
        while (m.sum(SEGMENTS_DECODED) < segmentsPublished || m.sum(FRAMES_STORED) < m.sum(FRAMES_SAMPLED)) {
            checkDeadline(deadline, "the job to decode and store everything published (segments decoded: "
                    + m.sum(SEGMENTS_DECODED) + " of " + segmentsPublished + ", frames stored: " + m.sum(FRAMES_STORED)
                    + " of " + m.sum(FRAMES_SAMPLED) + " sampled)");
            Thread.sleep(POLL.toMillis());
            m = JobMetrics.read(rest);
        }
        // the metrics said so no later than now: a checkpoint triggered afterwards holds all of it
        long quiet = System.currentTimeMillis();
        JsonNode completed = rest.checkpoints().path("latest").path("completed");
        while (completed.path("trigger_timestamp").asLong(0) <= quiet) {
            checkDeadline(deadline, "a checkpoint after the job stored everything");
            Thread.sleep(POLL.toMillis());
            completed = rest.checkpoints().path("latest").path("completed");
        }
        JsonNode tasks = rest.checkpoint(completed.path("id").asLong()).path("tasks");
        double memory = 0;
        double captions = 0;
        for (Vertex v : rest.vertices()) {
            double size = tasks.path(v.id()).path("state_size").asDouble();
            if (v.name().contains(IngestJob.UID_MEMORY)) {
                memory += size;
            } else if (v.name().contains(LiveCaptionPipeline.UID_LIVE_CAPTION)
                    || v.name().contains(LiveCaptionPipeline.UID_TS_LLAVA_CAPTION)) {
                captions += size;
            }
        }
        return new StateSize(m.framesHeld(), memory, captions, completed.path("state_size").asDouble());
    }

    private static void checkDeadline(long deadline, String what) throws TimeoutException {
        if (System.nanoTime() > deadline) {
            throw new TimeoutException("gave up waiting for " + what);
        }
    }
}

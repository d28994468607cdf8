package io.streamvl.ingest.segment;

import java.io.ByteArrayOutputStream;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;

/** An in-memory recorder for one segment; {@link #finish()} returns the container bytes. */
final class SegmentWriter {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final FFmpegFrameRecorder recorder;

    SegmentWriter(int width, int height, SegmentContainer container) {
        recorder = new FFmpegFrameRecorder(bytes, width, height, 0);
        container.configure(recorder);
    }

    byte[] finish() throws FrameRecorder.Exception {
        try {
            recorder.stop();
        } finally {
            recorder.release();
        }
        return bytes.toByteArray();
    }

    void abandon() {
        try {
            recorder.release();
        } catch (FrameRecorder.Exception ignored) {
            // Already failing; the original error is the one to report.
        }
    }
}

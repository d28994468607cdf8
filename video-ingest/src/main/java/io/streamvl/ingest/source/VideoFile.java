package io.streamvl.ingest.source;

import io.streamvl.ingest.VideoInput;
import java.io.Serializable;

/**
 * One video for {@link VideoFileSource}.
 *
 * @param videoId copied into every record of this video (and into {@code SampledFrame.streamId})
 * @param uri local path, {@code file:} URI or http(s) URL
 * @param baseEventTimeMillis event time of pts 0: a frame's event time is this plus its pts
 */
public record VideoFile(String videoId, String uri, long baseEventTimeMillis) implements Serializable {
    public VideoFile {
        if (videoId == null || videoId.isBlank()) {
            throw new IllegalArgumentException("video id must not be blank");
        }
        // rejects a blank URI now, on the client, rather than as a failed split in the job
        VideoInput.ofUri(uri);
    }

    /** A video whose frames get event times equal to their pts (base 0). */
    public static VideoFile of(String videoId, String uri) {
        return new VideoFile(videoId, uri, 0L);
    }
}

package io.streamvl.ingest.segment;

import java.util.Locale;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/** The containers a segment can travel in; both can be decoded from a stream without seeking. */
public enum SegmentContainer {
    MPEGTS("mpegts"),
    /** Fragmented MP4: the moov box comes first and holds no samples, so no seek back is needed. */
    MP4("mp4");

    private final String formatName;

    SegmentContainer(String formatName) {
        this.formatName = formatName;
    }

    public String formatName() {
        return formatName;
    }

    public static SegmentContainer of(String name) {
        for (SegmentContainer c : values()) {
            if (c.formatName.equals(name.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown segment container '" + name + "' (use mpegts or mp4)");
    }

    void configure(FFmpegFrameRecorder recorder) {
        recorder.setFormat(formatName);
        if (this == MP4) {
            recorder.setOption("movflags", "frag_keyframe+empty_moov+default_base_moof");
        }
    }
}

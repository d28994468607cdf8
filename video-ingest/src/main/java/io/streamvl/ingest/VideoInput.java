package io.streamvl.ingest;

import java.io.Serializable;
import java.util.Objects;

/** What to decode: an in-memory encoded segment, or a file path / URL that FFmpeg opens itself. */
public final class VideoInput implements Serializable {
    private static final long serialVersionUID = 1L;

    private final byte[] data;
    private final String containerFormat;
    private final String uri;

    private VideoInput(byte[] data, String containerFormat, String uri) {
        this.data = data;
        this.containerFormat = containerFormat;
        this.uri = uri;
    }

    /**
     * An in-memory segment. The array is not copied (segments are large and immutable once
     * received), so the caller must not modify it while decoding.
     *
     * @param containerFormat FFmpeg demuxer name such as "mpegts" or "mp4", or null to probe
     */
    public static VideoInput ofBytes(byte[] data, String containerFormat) {
        return new VideoInput(Objects.requireNonNull(data, "data"), blankToNull(containerFormat), null);
    }

    /** A local path, {@code file:} URI, or anything FFmpeg's protocols accept (http(s), rtsp, hls .m3u8). */
    public static VideoInput ofUri(String pathOrUrl) {
        if (pathOrUrl == null || pathOrUrl.isBlank()) {
            throw new IllegalArgumentException("video URI must not be blank");
        }
        return new VideoInput(null, null, pathOrUrl);
    }

    public boolean isBytes() {
        return data != null;
    }

    /** The in-memory bytes, or null for a URI input. */
    byte[] data() {
        return data;
    }

    /** The demuxer hint, or null. */
    public String containerFormat() {
        return containerFormat;
    }

    /** The path or URL, or null for in-memory bytes. */
    public String uri() {
        return uri;
    }

    /** True for inputs read over a network protocol, where I/O timeouts and reconnects apply. */
    public boolean isNetwork() {
        if (uri == null) {
            return false;
        }
        int colon = uri.indexOf("://");
        return colon > 1 && !uri.regionMatches(true, 0, "file", 0, colon);
    }

    /** Short description for log and error messages; never includes the bytes themselves. */
    public String describe() {
        if (data != null) {
            return "in-memory " + (containerFormat == null ? "segment" : containerFormat + " segment")
                    + " (" + data.length + " bytes)";
        }
        return redactCredentials(uri);
    }

    @Override
    public String toString() {
        return describe();
    }

    /** rtsp://user:password@host URLs are common for cameras; keep passwords out of messages. */
    private static String redactCredentials(String u) {
        int scheme = u.indexOf("://");
        int at = u.indexOf('@');
        int slash = scheme < 0 ? -1 : u.indexOf('/', scheme + 3);
        if (scheme < 0 || at < scheme || (slash >= 0 && at > slash)) {
            return u;
        }
        return u.substring(0, scheme + 3) + "***@" + u.substring(at + 1);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

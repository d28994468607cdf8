package io.streamvl.ingest;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The FFmpeg protocols an input may open, passed as {@code protocol_whitelist}. Without it a container can reach
 * beyond the input it came in: an HLS playlist or {@code ffconcat} script names further URLs and files that the
 * demuxer opens in turn, so a segment published to Kafka could make the job read a TaskManager's local files or
 * fetch internal URLs. With it, nested opens stay within the input's own protocol family: in-memory bytes open
 * nothing, a local file only other local files, an {@code http(s)} URL only http(s) (and the TCP/TLS/crypto layers
 * under it), an {@code rtsp} camera only its RTP transports.
 */
final class ProtocolWhitelist {
    /** Matches no protocol: FFmpeg compares each name it would open against this list. */
    static final String NOTHING = "none";
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://");

    private ProtocolWhitelist() {}

    static String of(VideoInput input) {
        if (input.isBytes()) {
            return NOTHING;
        }
        Matcher m = SCHEME.matcher(input.uri());
        if (!m.find()) {
            return "file";
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "file" -> "file";
            case "http", "https" -> "http,https,tcp,tls,crypto";
            case "rtsp", "rtsps" -> "rtsp,rtsps,rtp,srtp,udp,tcp,tls";
            case "rtmp", "rtmps" -> "rtmp,rtmps,tcp,tls";
            default -> scheme + ",tcp,udp,tls";
        };
    }
}

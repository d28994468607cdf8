package io.streamvl.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The Kafka headers a segment record carries. Values are UTF-8 text (decimal numbers, container
 * name) so any producer, e.g. an edge device using kcat, can write them without our code.
 */
public final class SegmentHeaders {
    public static final String SEQUENCE = "streamvl.seq";
    public static final String START_MILLIS = "streamvl.start-ms";
    public static final String CONTAINER = "streamvl.container";
    public static final String DEFAULT_CONTAINER = "mpegts";

    private SegmentHeaders() {}

    public static void write(Headers headers, long sequence, long startMillis, String container) {
        headers.add(SEQUENCE, utf8(Long.toString(sequence)));
        headers.add(START_MILLIS, utf8(Long.toString(startMillis)));
        headers.add(CONTAINER, utf8(container));
    }

    /**
     * Reads the headers into {@code into}; returns null when they are complete and valid, else the
     * reason they are not.
     */
    public static String read(Headers headers, Segment into) {
        String seq = text(headers, SEQUENCE);
        String start = text(headers, START_MILLIS);
        String container = text(headers, CONTAINER);
        if (seq == null) {
            return "missing header " + SEQUENCE;
        }
        if (start == null) {
            return "missing header " + START_MILLIS;
        }
        try {
            into.sequence = Long.parseLong(seq.trim());
        } catch (NumberFormatException e) {
            return "header " + SEQUENCE + " is not a number: '" + abbreviate(seq) + "'";
        }
        try {
            into.startMillis = Long.parseLong(start.trim());
        } catch (NumberFormatException e) {
            return "header " + START_MILLIS + " is not a number: '" + abbreviate(start) + "'";
        }
        if (into.sequence < 0 || into.startMillis < 0) {
            return "negative " + SEQUENCE + " or " + START_MILLIS;
        }
        into.container = container == null || container.isBlank() ? DEFAULT_CONTAINER : container.trim();
        return null;
    }

    private static String text(Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}

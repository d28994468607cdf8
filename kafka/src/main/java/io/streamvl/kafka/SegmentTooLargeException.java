package io.streamvl.kafka;

/** A segment does not fit the segments topic's message size limit. */
public class SegmentTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public SegmentTooLargeException(String streamId, long sequence, int bytes, int maxBytes) {
        super("segment " + sequence + " of stream '" + streamId + "' is " + bytes + " bytes, above the limit of "
                + maxBytes + " bytes; use shorter segments or raise the topic's max.message.bytes");
    }
}

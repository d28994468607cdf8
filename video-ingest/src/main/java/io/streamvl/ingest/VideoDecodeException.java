package io.streamvl.ingest;

import io.streamvl.kafka.DlqReason;

/** A video that cannot be decoded; the reason is what goes into the DLQ record. */
public class VideoDecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final DlqReason reason;

    public VideoDecodeException(DlqReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public VideoDecodeException(DlqReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public DlqReason reason() {
        return reason;
    }
}

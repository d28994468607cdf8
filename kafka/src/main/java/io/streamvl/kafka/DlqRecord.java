package io.streamvl.kafka;

/**
 * A bad input, set aside with the reason it was rejected. Value of the DLQ topic (key: the
 * original record's key). Carries the input's first bytes, not all of it, so that an oversized
 * message cannot make the DLQ record oversized too.
 */
public class DlqRecord {
    public static final int SCHEMA = 1;
    public static final int MAX_PAYLOAD_PREFIX = 1024;

    public int schema = SCHEMA;
    /** Machine-readable reason code, e.g. {@code corrupt-segment}, see {@link DlqReason}. */
    public String reason;
    /** Human-readable explanation. */
    public String message;
    public String key;
    public String sourceTopic;
    public Integer sourcePartition;
    public Long sourceOffset;
    public Long sequence;
    /** Size of the original payload in bytes. */
    public long payloadBytes;
    /** Base64 of at most {@link #MAX_PAYLOAD_PREFIX} first bytes of the original payload. */
    public String payloadPrefixBase64;
    /** Processing time the record was rejected, epoch milliseconds. */
    public long rejectedAtMillis;

    public DlqRecord() {}

    public static DlqRecord of(DlqReason reason, String message, String key, byte[] payload) {
        DlqRecord r = new DlqRecord();
        r.reason = reason.code();
        r.message = message;
        r.key = key;
        r.payloadBytes = payload == null ? 0 : payload.length;
        if (payload != null) {
            int n = Math.min(payload.length, MAX_PAYLOAD_PREFIX);
            byte[] prefix = java.util.Arrays.copyOf(payload, n);
            r.payloadPrefixBase64 = java.util.Base64.getEncoder().encodeToString(prefix);
        }
        r.rejectedAtMillis = System.currentTimeMillis();
        return r;
    }

    public DlqRecord from(Segment s) {
        sourceTopic = s.sourceTopic;
        sourcePartition = s.sourcePartition;
        sourceOffset = s.sourceOffset;
        sequence = s.sequence;
        return this;
    }
}

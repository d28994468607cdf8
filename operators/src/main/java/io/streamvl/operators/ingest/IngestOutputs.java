package io.streamvl.operators.ingest;

import io.streamvl.kafka.DlqRecord;
import io.streamvl.kafka.IngestStatus;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** Side outputs of the ingest operators. */
public final class IngestOutputs {
    public static final OutputTag<DlqRecord> DLQ =
            new OutputTag<>("dlq", TypeInformation.of(DlqRecord.class));
    public static final OutputTag<IngestStatus> STATUS =
            new OutputTag<>("ingest-status", TypeInformation.of(IngestStatus.class));

    private IngestOutputs() {}
}

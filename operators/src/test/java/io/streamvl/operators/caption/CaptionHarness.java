package io.streamvl.operators.caption;

import io.streamvl.kafka.DlqRecord;
import io.streamvl.operators.generate.GenerationTask;
import io.streamvl.operators.ingest.IngestOutputs;
import io.streamvl.operators.model.TinyModel;
import io.streamvl.operators.testing.Harnesses;
import io.streamvl.operators.vision.EncodedFrameRecord;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/**
 * A caption window operator as the job runs it (keyed by stream, standing questions broadcast) in a test harness
 * on a named state backend, and what the caption tests read from it.
 */
final class CaptionHarness
        extends KeyedBroadcastOperatorTestHarness<String, EncodedFrameRecord, StandingQuestion, GenerationTask> {
    static final long T0 = 1_700_000_000_000L; // a multiple of the 10 s window
    static final long W = 10_000;
    static final String PROMPT = LiveCaptionSettings.DEFAULT_PROMPT;

    /** @param backend {@link Harnesses#HEAP} or {@link Harnesses#ROCKSDB} */
    CaptionHarness(CaptionWindowFunction<?> function, String backend) throws Exception {
        super(new CoBroadcastWithKeyedOperator<>(function, List.of(CaptionWindowFunction.STANDING_QUESTIONS)),
                (EncodedFrameRecord r) -> r.frame.streamId, Types.STRING, 128, 1, 0);
        Harnesses.useBackend(this, backend);
    }

    /** The tiny model's default caption settings, with captions of at most 8 tokens. */
    static LiveCaptionSettings settings() {
        return LiveCaptionSettings.defaults(TinyModel.settings()).withCaptionPrompt(PROMPT, 8);
    }

    /** "kind stream", and the question's id for an alert. */
    static String describe(GenerationTask t) {
        return t.kind + " " + t.streamId() + (t.alert != null ? " " + t.alert.questionId : "");
    }

    /** The generation tasks emitted since the last drain. */
    List<GenerationTask> drain() {
        List<GenerationTask> out = new ArrayList<>(extractOutputValues());
        getOutput().clear();
        return out;
    }

    /** Every DLQ record so far. */
    List<DlqRecord> dlq() {
        List<DlqRecord> out = new ArrayList<>();
        var records = getSideOutput(IngestOutputs.DLQ);
        if (records != null) {
            records.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    /** The operator's {@code lateFrames} counter. */
    long lateFrames() throws Exception {
        return counter(CaptionWindowFunction.class, "lateFrames");
    }

    /** The count of the function's counter in field {@code name} of {@code declaredBy}. */
    long counter(Class<?> declaredBy, String name) throws Exception {
        Field counter = declaredBy.getDeclaredField(name);
        counter.setAccessible(true);
        var operator = (CoBroadcastWithKeyedOperator<?, ?, ?, ?>) getOperator();
        return ((Counter) counter.get(operator.getUserFunction())).getCount();
    }

    /** Processing time passes without a frame. */
    void quietFor(Duration d) throws Exception {
        setProcessingTime(getProcessingTime() + d.toMillis());
    }

    /** How many entries the stream has in the operator's map state of {@code descriptor}. */
    <K, V> int entries(String stream, MapStateDescriptor<K, V> descriptor) throws Exception {
        var backend = getOperator().getKeyedStateBackend();
        backend.setCurrentKey(stream);
        MapState<K, V> state = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                descriptor);
        int n = 0;
        for (var ignored : state.keys()) {
            n++;
        }
        return n;
    }
}

package io.streamvl.jobs.ingest;

import io.streamvl.ingest.SampledFrame;
import io.streamvl.operators.ingest.IngestSettings;
import io.streamvl.operators.ingest.MemoryIndex;
import io.streamvl.operators.ingest.VideoMemoryFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

/** Reads the video memory out of a savepoint with the State Processor API: event times per stream. */
final class VideoMemoryContents {
    private VideoMemoryContents() {}

    static Map<String, List<Long>> read(String savepoint, IngestSettings settings) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        env.setParallelism(1);
        SavepointReader reader = SavepointReader.read(env, savepoint, new EmbeddedRocksDBStateBackend());
        Map<String, List<Long>> byStream = new TreeMap<>();
        try (CloseableIterator<Tuple3<String, Long, Boolean>> rows = reader.readKeyedState(
                        OperatorIdentifier.forUid(IngestJob.UID_MEMORY), new Reader(settings), Types.STRING,
                        Types.TUPLE(Types.STRING, Types.LONG, Types.BOOLEAN))
                .executeAndCollect()) {
            rows.forEachRemaining(r -> {
                if (!r.f2) {
                    throw new AssertionError("frame " + r.f1 + " of " + r.f0 + " is not in the memory's index");
                }
                byStream.computeIfAbsent(r.f0, k -> new ArrayList<>()).add(r.f1);
            });
        }
        byStream.values().forEach(l -> l.sort(Long::compare));
        return byStream;
    }

    private static final class Reader extends KeyedStateReaderFunction<String, Tuple3<String, Long, Boolean>> {
        private final IngestSettings settings;
        private transient MapState<Long, SampledFrame> frames;
        private transient ValueState<MemoryIndex> index;

        Reader(IngestSettings settings) {
            this.settings = settings;
        }

        @Override
        public void open(OpenContext ctx) {
            frames = getRuntimeContext().getMapState(VideoMemoryFunction.framesDescriptor(settings));
            index = getRuntimeContext().getState(VideoMemoryFunction.indexDescriptor(settings));
        }

        @Override
        public void readKey(String stream, Context ctx, Collector<Tuple3<String, Long, Boolean>> out) throws Exception {
            MemoryIndex idx = index.value();
            for (Map.Entry<Long, SampledFrame> e : frames.entries()) {
                if (e.getValue().jpeg == null || e.getValue().jpeg.length == 0) {
                    throw new AssertionError("frame " + e.getKey() + " of " + stream + " has no JPEG");
                }
                boolean indexed = idx != null && java.util.Arrays.binarySearch(idx.times, e.getKey()) >= 0;
                out.collect(Tuple3.of(stream, e.getKey(), indexed));
            }
        }
    }
}

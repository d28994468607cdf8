package io.streamvl.ingest.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Version 1: count, then each split as (split serializer version, length, bytes), so the split
 * format can evolve without a new version here.
 */
public final class VideoEnumeratorStateSerializer implements SimpleVersionedSerializer<VideoEnumeratorState> {
    public static final VideoEnumeratorStateSerializer INSTANCE = new VideoEnumeratorStateSerializer();
    private static final int VERSION = 1;

    private final VideoSplitSerializer splits = VideoSplitSerializer.INSTANCE;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(VideoEnumeratorState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(state.unassigned().size());
        for (VideoSplit s : state.unassigned()) {
            byte[] b = splits.serialize(s);
            out.writeInt(splits.getVersion());
            out.writeInt(b.length);
            out.write(b);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public VideoEnumeratorState deserialize(int version, byte[] bytes) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown video enumerator state version " + version + " (this build reads "
                    + VERSION + ")");
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        int n = in.readInt();
        List<VideoSplit> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int splitVersion = in.readInt();
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            out.add(splits.deserialize(splitVersion, b));
        }
        return new VideoEnumeratorState(out);
    }
}

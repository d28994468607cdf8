package io.streamvl.ingest.source;

import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Version 1: split id, video (id, uri, base event time), then the position fields in record order. */
public final class VideoSplitSerializer implements SimpleVersionedSerializer<VideoSplit> {
    public static final VideoSplitSerializer INSTANCE = new VideoSplitSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(VideoSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        out.writeUTF(split.splitId());
        VideoFile v = split.video();
        out.writeUTF(v.videoId());
        out.writeUTF(v.uri());
        out.writeLong(v.baseEventTimeMillis());
        VideoPosition p = split.position();
        out.writeLong(p.ptsMicros());
        out.writeInt(p.framesAtPts());
        out.writeLong(p.lastTick());
        out.writeLong(p.framesDecoded());
        out.writeLong(p.framesSampled());
        return out.getCopyOfBuffer();
    }

    @Override
    public VideoSplit deserialize(int version, byte[] bytes) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown video split serializer version " + version + " (this build reads "
                    + VERSION + ")");
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        String splitId = in.readUTF();
        VideoFile video = new VideoFile(in.readUTF(), in.readUTF(), in.readLong());
        VideoPosition position = new VideoPosition(in.readLong(), in.readInt(), in.readLong(), in.readLong(),
                in.readLong());
        return new VideoSplit(splitId, video, position);
    }
}

package io.streamvl.ingest;

import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_SIZE;
import static org.bytedeco.ffmpeg.global.avformat.avio_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avio_context_free;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.Read_packet_Pointer_BytePointer_int;
import org.bytedeco.ffmpeg.avformat.Seek_Pointer_long_int;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Serves an in-memory segment to FFmpeg through a custom AVIOContext. The bytes are copied to
 * native memory once, so each read is a memcpy rather than a Java array copy through JNI.
 */
final class MemoryIo implements AutoCloseable {
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int SEEK_SET = 0;
    private static final int SEEK_CUR = 1;
    private static final int SEEK_END = 2;
    /** {@code whence} carries AVSEEK_SIZE and AVSEEK_FORCE as flag bits above the SEEK_* values. */
    private static final int WHENCE_MASK = 0xFFFF;

    /** Callbacks are native thunks: one instance each for the JVM's lifetime, dispatching on the opaque address. */
    private static final Map<Long, MemoryIo> OPEN = new ConcurrentHashMap<>();
    private static final ReadCallback READ = new ReadCallback().retainReference();
    private static final SeekCallback SEEK = new SeekCallback().retainReference();

    private final BytePointer data;
    private final BytePointer cursor;
    private final long size;
    private final AVIOContext avio;
    private long position;

    MemoryIo(byte[] bytes) {
        size = bytes.length;
        data = new BytePointer(Math.max(1, size));
        data.put(bytes, 0, bytes.length);
        cursor = new BytePointer(data);
        OPEN.put(data.address(), this);
        BytePointer buffer = new BytePointer(av_malloc(BUFFER_SIZE));
        avio = avio_alloc_context(buffer, BUFFER_SIZE, 0, data, READ, null, SEEK);
        if (avio == null || avio.isNull()) {
            av_free(buffer);
            OPEN.remove(data.address());
            data.close();
            throw new OutOfMemoryError("avio_alloc_context failed");
        }
    }

    AVIOContext context() {
        return avio;
    }

    @Override
    public void close() {
        // FFmpeg may have replaced the buffer it was given, so free whatever the context holds now.
        av_free(avio.buffer());
        avio.buffer(null);
        avio_context_free(avio);
        OPEN.remove(data.address());
        data.close();
    }

    private int read(BytePointer buf, int n) {
        long count = Math.min(n, size - position);
        if (count <= 0) {
            return AVERROR_EOF();
        }
        Pointer.memcpy(buf, cursor.position(position), count);
        position += count;
        return (int) count;
    }

    private long seek(long offset, int whence) {
        if ((whence & AVSEEK_SIZE) != 0) {
            return size;
        }
        long target;
        switch (whence & WHENCE_MASK) {
            case SEEK_SET:
                target = offset;
                break;
            case SEEK_CUR:
                target = position + offset;
                break;
            case SEEK_END:
                target = size + offset;
                break;
            default:
                return -1;
        }
        if (target < 0 || target > size) {
            return -1;
        }
        position = target;
        return target;
    }

    private static final class ReadCallback extends Read_packet_Pointer_BytePointer_int {
        @Override
        public int call(Pointer opaque, BytePointer buf, int bufSize) {
            MemoryIo io = OPEN.get(opaque.address());
            return io == null ? AVERROR_EOF() : io.read(buf, bufSize);
        }
    }

    private static final class SeekCallback extends Seek_Pointer_long_int {
        @Override
        public long call(Pointer opaque, long offset, int whence) {
            MemoryIo io = OPEN.get(opaque.address());
            return io == null ? -1 : io.seek(offset, whence);
        }
    }
}

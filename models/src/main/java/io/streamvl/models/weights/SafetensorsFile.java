package io.streamvl.models.weights;

import io.streamvl.models.ModelFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;

/**
 * One safetensors file, memory-mapped: opening reads only the header, and each tensor is mapped
 * when asked for, so an 8B checkpoint costs no heap beyond the arrays the caller requests.
 *
 * <p>Layout: 8-byte little-endian header length N, N bytes of JSON header
 * ({@code {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}}), then the
 * data, offsets relative to the end of the header. Every entry is validated on open (known dtype,
 * offsets in range, not overlapping, size matching shape × dtype); gaps between tensors are tolerated.
 */
public final class SafetensorsFile implements TensorSource {
    /** A mapping window: well below the 2 GiB limit of one buffer, and a multiple of every dtype size. */
    private static final long WINDOW_BYTES = 1L << 30;

    private final Path path;
    private final long windowBytes;
    private final FileChannel channel;
    private final long dataStart;
    private final SafetensorsHeader header;
    private volatile boolean closed;

    private SafetensorsFile(Path path, long windowBytes, FileChannel channel, long dataStart, SafetensorsHeader header) {
        this.path = path;
        this.windowBytes = windowBytes;
        this.channel = channel;
        this.dataStart = dataStart;
        this.header = header;
    }

    public static SafetensorsFile open(Path path) {
        return open(path, WINDOW_BYTES);
    }

    /** {@code windowBytes} must be a multiple of 8; tests shrink it to exercise windowed reads. */
    static SafetensorsFile open(Path path, long windowBytes) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new ModelFormatException(path + ": cannot open safetensors file: " + e, e);
        }
        try {
            return read(path, windowBytes, channel);
        } catch (RuntimeException e) {
            closeQuietly(channel, e);
            throw e;
        }
    }

    private static SafetensorsFile read(Path path, long windowBytes, FileChannel channel) {
        try {
            long size = channel.size();
            if (size < 8) {
                throw new ModelFormatException(path + ": " + size + " bytes is too short for a safetensors file");
            }
            long headerLength = readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength < 0 || headerLength > size - 8 || headerLength > SafetensorsHeader.MAX_HEADER_BYTES) {
                throw new ModelFormatException(path + ": header length " + Long.toUnsignedString(headerLength)
                        + " is absurd for a file of " + size + " bytes (not a safetensors file, or corrupt)");
            }
            byte[] headerBytes = readFully(channel, 8, (int) headerLength).array();
            long dataStart = 8 + headerLength;
            SafetensorsHeader header = SafetensorsHeader.parse(path.toString(), headerBytes, size - dataStart);
            return new SafetensorsFile(path, windowBytes, channel, dataStart, header);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot read safetensors header", e);
        }
    }

    public Path path() {
        return path;
    }

    /** The string map under {@code __metadata__}; empty when the file has none. */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    @Override
    public Set<String> names() {
        return header.entries().keySet();
    }

    @Override
    public TensorInfo info(String name) {
        SafetensorsHeader.Entry entry = header.entries().get(name);
        return entry == null ? null : entry.info();
    }

    /**
     * The tensor's raw little-endian bytes, mapped read-only; no copy is made.
     *
     * @throws ModelFormatException when the tensor is missing or above 2 GiB (use {@link #floats})
     */
    public ByteBuffer buffer(String name) {
        SafetensorsHeader.Entry entry = entry(name);
        if (entry.bytes() > Integer.MAX_VALUE) {
            throw new ModelFormatException(path + ": tensor '" + name + "' has " + entry.bytes()
                    + " bytes, more than one ByteBuffer can address; read it with floats()");
        }
        return map(entry.begin(), entry.bytes());
    }

    @Override
    public float[] floats(String name) {
        SafetensorsHeader.Entry entry = entry(name);
        TensorInfo info = entry.info();
        if (!info.dtype().isFloating()) {
            throw new ModelFormatException(path + ": tensor '" + name + "' is " + info.dtype() + ", not floating point");
        }
        if (info.elements() > Integer.MAX_VALUE - 8) {
            throw new ModelFormatException(path + ": tensor '" + name + "' has " + info.elements()
                    + " elements, more than one Java array can hold");
        }
        float[] out = new float[(int) info.elements()];
        int elementBytes = info.dtype().bytes();
        for (long done = 0; done < entry.bytes(); done += windowBytes) {
            long length = Math.min(windowBytes, entry.bytes() - done);
            FloatDecoding.decode(map(entry.begin() + done, length), info.dtype(), out, (int) (done / elementBytes));
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot close", e);
        }
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + header.entries().size() + " tensors]";
    }

    private SafetensorsHeader.Entry entry(String name) {
        SafetensorsHeader.Entry entry = header.entries().get(name);
        if (entry == null) {
            throw new ModelFormatException(path + ": no tensor '" + name + "'");
        }
        return entry;
    }

    private MappedByteBuffer map(long offset, long length) {
        if (closed) {
            throw new IllegalStateException(path + " is closed");
        }
        try {
            MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + offset, length);
            buffer.order(ByteOrder.LITTLE_ENDIAN);
            return buffer;
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot map " + length + " bytes at " + (dataStart + offset), e);
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        buffer.flip();
        return buffer;
    }

    private static void closeQuietly(FileChannel channel, Exception primary) {
        try {
            channel.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }
}

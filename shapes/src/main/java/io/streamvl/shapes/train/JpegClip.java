package io.streamvl.shapes.train;

import io.streamvl.ingest.ModelInputConverter;
import io.streamvl.ingest.ModelInputSpec;
import io.streamvl.models.train.SamplePixels;
import java.util.List;
import java.util.Objects;

/**
 * A clip's frames as their stored JPEGs, turned into the model's normalised floats only when read, as
 * {@link ShapesFrames#tensor} turns any stored frame. Safe to read from several threads.
 */
final class JpegClip implements SamplePixels {
    private final List<byte[]> jpegs;
    private final ModelInputSpec spec;

    JpegClip(List<byte[]> jpegs, ModelInputSpec spec) {
        this.jpegs = List.copyOf(jpegs);
        this.spec = spec;
    }

    @Override
    public int length() {
        return jpegs.size() * spec.tensorLength();
    }

    @Override
    public void copyTo(int from, float[] dst, int offset, int count) {
        Objects.checkFromIndexSize(from, count, length());
        int frameFloats = spec.tensorLength();
        float[] frame = new float[frameFloats];
        for (int at = from; at < from + count; ) {
            int f = at / frameFloats;
            int within = at - f * frameFloats;
            int n = Math.min(frameFloats - within, from + count - at);
            ModelInputConverter.jpegToTensor(jpegs.get(f), spec, frame);
            System.arraycopy(frame, within, dst, offset + (at - from), n);
            at += n;
        }
    }
}

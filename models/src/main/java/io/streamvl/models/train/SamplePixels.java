package io.streamvl.models.train;

import java.util.Objects;

/**
 * A training sample's frames as the trainer reads them: normalised NHWC floats, {@code [N, imageSize, imageSize, 3]}
 * row-major. A training set of thousands of clips need not hold them as floats: a source may keep its frames compact
 * (as stored JPEGs, say) and make the floats only when a batch is assembled.
 */
public interface SamplePixels {
    /** Floats in all: frames × imageSize × imageSize × 3. */
    int length();

    /** Writes floats {@code [from, from + count)} into {@code dst} at {@code offset}. */
    void copyTo(int from, float[] dst, int offset, int count);

    /** The floats, materialised. */
    default float[] toArray() {
        float[] out = new float[length()];
        copyTo(0, out, 0, out.length);
        return out;
    }

    /** Frame {@code index} of these pixels, each frame {@code frameFloats} long, read through this source. */
    default SamplePixels frame(int index, int frameFloats) {
        if (index < 0 || frameFloats < 1 || (index + 1L) * frameFloats > length()) {
            throw new IllegalArgumentException("frame " + index + " of " + frameFloats + " floats is not within "
                    + length() + " floats");
        }
        SamplePixels whole = this;
        int start = index * frameFloats;
        return new SamplePixels() {
            @Override
            public int length() {
                return frameFloats;
            }

            @Override
            public void copyTo(int from, float[] dst, int offset, int count) {
                Objects.checkFromIndexSize(from, count, frameFloats);
                whole.copyTo(start + from, dst, offset, count);
            }
        };
    }

    /** Pixels held as floats (not copied). */
    static SamplePixels of(float[] floats) {
        Objects.requireNonNull(floats, "floats");
        return new SamplePixels() {
            @Override
            public int length() {
                return floats.length;
            }

            @Override
            public void copyTo(int from, float[] dst, int offset, int count) {
                System.arraycopy(floats, from, dst, offset, count);
            }
        };
    }
}

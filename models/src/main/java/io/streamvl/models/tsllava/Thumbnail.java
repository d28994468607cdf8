package io.streamvl.models.tsllava;

import java.util.Arrays;
import java.util.List;

/**
 * TS-LLaVA's thumbnail: a few evenly spaced frames, each shrunk to one cell of a {@link ThumbnailGrid}
 * and tiled row-major into one image of the vision tower's input size, with no border or padding
 * (6 frames: a 3x2 grid of 112x168 cells in 336x336). The image then goes through the same
 * preprocessing and tower as a frame and yields one frame's worth of tokens.
 *
 * <p>The reference shrinks with {@code interpolate(mode='area')}, i.e. adaptive average pooling: output
 * row {@code o} of {@code n} averages input rows {@code floor(o * in / n)} to {@code ceil((o + 1) * in / n)}
 * (exclusive), and likewise for columns; for 336x336 frames that is a plain 3x2 box mean. The reference
 * pools the CLIP-normalized fp16 tensor; pooling is linear, so pooling pixels and normalizing after is the
 * same up to fp16 rounding. Frames should be the model-resolution frames (the reference squashes every
 * frame to 336x336 first), and may not be smaller than a cell: the reference would upsample them
 * bilinearly, which never happens at model resolution.
 */
public final class Thumbnail {

    private final int frames;
    private final ThumbnailGrid grid;
    private final int height;
    private final int width;

    /**
     * @param frames how many frames are tiled
     * @param height the thumbnail's height, the vision tower's input height
     * @param width the thumbnail's width
     */
    public Thumbnail(int frames, int height, int width) {
        this.grid = ThumbnailGrid.forFrames(frames);
        if (height < 1 || width < 1 || height % grid.rows() != 0 || width % grid.cols() != 0) {
            // The reference would crop to a smaller image than the tower takes; refuse instead.
            throw new IllegalArgumentException("a " + height + "x" + width + " thumbnail cannot be tiled evenly by a "
                    + grid.rows() + "x" + grid.cols() + " grid");
        }
        this.frames = frames;
        this.height = height;
        this.width = width;
    }

    public int frames() {
        return frames;
    }

    public ThumbnailGrid grid() {
        return grid;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int cellHeight() {
        return height / grid.rows();
    }

    public int cellWidth() {
        return width / grid.cols();
    }

    /**
     * Which of {@code available} frames (positions in the frame list TS-LLaVA uses) go into the thumbnail:
     * {@code round(linspace(0, available - 1, frames))} in float32, so the first and last are always in
     * (50 frames: 0, 10, 20, 29, 39, 49).
     */
    public int[] pick(int available) {
        if (available < frames) {
            throw new IllegalArgumentException("a thumbnail of " + frames + " frames needs at least " + frames
                    + " frames, got " + available);
        }
        return TorchLinspace.roundedIndices(available - 1, frames);
    }

    /** Tiles the picked frames, in order, into the thumbnail. */
    public RgbImage compose(List<RgbImage> picked) {
        if (picked.size() != frames) {
            throw new IllegalArgumentException("the thumbnail tiles " + frames + " frames, got " + picked.size());
        }
        int cellHeight = cellHeight();
        int cellWidth = cellWidth();
        float[] out = new float[height * width * RgbImage.CHANNELS];
        for (int k = 0; k < frames; k++) {
            RgbImage frame = picked.get(k);
            if (frame.height() < cellHeight || frame.width() < cellWidth) {
                throw new IllegalArgumentException("frame " + k + " is " + frame.height() + "x" + frame.width()
                        + ", smaller than a " + cellHeight + "x" + cellWidth + " thumbnail cell");
            }
            int top = (k / grid.cols()) * cellHeight;
            int left = (k % grid.cols()) * cellWidth;
            poolInto(frame, cellHeight, cellWidth, out, top, left);
        }
        return RgbImage.wrap(height, width, out);
    }

    private void poolInto(RgbImage frame, int cellHeight, int cellWidth, float[] out, int top, int left) {
        float[] in = frame.samples();
        int inHeight = frame.height();
        int inWidth = frame.width();
        double[] sum = new double[RgbImage.CHANNELS];
        for (int oy = 0; oy < cellHeight; oy++) {
            int y0 = windowStart(oy, inHeight, cellHeight);
            int y1 = windowEnd(oy, inHeight, cellHeight);
            for (int ox = 0; ox < cellWidth; ox++) {
                int x0 = windowStart(ox, inWidth, cellWidth);
                int x1 = windowEnd(ox, inWidth, cellWidth);
                Arrays.fill(sum, 0.0);
                for (int y = y0; y < y1; y++) {
                    int row = y * inWidth * RgbImage.CHANNELS;
                    for (int x = x0; x < x1; x++) {
                        int at = row + x * RgbImage.CHANNELS;
                        for (int c = 0; c < RgbImage.CHANNELS; c++) {
                            sum[c] += in[at + c];
                        }
                    }
                }
                int count = (y1 - y0) * (x1 - x0);
                int to = ((top + oy) * width + left + ox) * RgbImage.CHANNELS;
                for (int c = 0; c < RgbImage.CHANNELS; c++) {
                    out[to + c] = (float) (sum[c] / count);
                }
            }
        }
    }

    private static int windowStart(int out, int inSize, int outSize) {
        return (int) ((long) out * inSize / outSize);
    }

    private static int windowEnd(int out, int inSize, int outSize) {
        return (int) (((long) (out + 1) * inSize + outSize - 1) / outSize);
    }
}

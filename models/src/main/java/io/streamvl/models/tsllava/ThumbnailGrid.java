package io.streamvl.models.tsllava;

/**
 * The tile layout of a thumbnail, from the reference's {@code find_best_grid}: of the factor pairs
 * {@code (i, n / i)} with {@code i <= sqrt(n)}, the one whose sides differ least, turned so that
 * {@code rows >= cols} (6 frames: 3 rows by 2 columns, 8 frames: 4 by 2). Frame {@code k} takes row
 * {@code k / cols}, column {@code k % cols}.
 */
public record ThumbnailGrid(int rows, int cols) {

    public ThumbnailGrid {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("grid sides must be positive, got " + rows + "x" + cols);
        }
    }

    public static ThumbnailGrid forFrames(int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("a thumbnail needs at least one frame, got " + frames);
        }
        int best = 1;
        for (int i = 1; (long) i * i <= frames; i++) {
            if (frames % i == 0) {
                best = i;
            }
        }
        return new ThumbnailGrid(frames / best, best);
    }

    public int cells() {
        return rows * cols;
    }
}

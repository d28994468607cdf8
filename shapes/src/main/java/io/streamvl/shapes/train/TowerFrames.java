package io.streamvl.shapes.train;

import io.streamvl.ingest.VideoDecodeException;
import io.streamvl.shapes.Scene;
import io.streamvl.shapes.ShapesDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Every frame of the training videos, as the ingest path stores it, with its {@link PatchLabels}: the lessons of the
 * tower's pre-training. Every frame rather than the clips' 1 fps samples, because the tower overfits a few thousand
 * frames (it learned shape to 70 % on held-out videos from the sampled frames, 92 % from every second frame); the
 * moving objects make neighbouring frames a free augmentation. Frames stay JPEGs (a few KB each) until a batch needs
 * them. Batches are drawn in seeded shuffled passes.
 */
final class TowerFrames {
    private final ShapesFrames frames;
    private final List<byte[]> jpegs = new ArrayList<>();
    private final List<int[]> labels = new ArrayList<>();
    private final int patches;
    private final Random order;
    private int[] pass = new int[0];
    private int next;

    /**
     * @param frames decodes the videos; kept to turn the JPEGs into tensors, so it must stay open while batches are
     *     drawn
     * @param patch the tower's patch side
     */
    TowerFrames(ShapesDataset data, Map<String, Scene> scenes, ShapesFrames frames, int patch, long seed)
            throws VideoDecodeException {
        this.frames = frames;
        int size = frames.inputSize();
        this.patches = (size / patch) * (size / patch);
        for (String video : data.videos()) {
            List<byte[]> every = frames.everyJpeg(data.videoPath(video));
            Scene scene = scenes.get(video);
            for (int f = 0; f < every.size(); f++) {
                jpegs.add(every.get(f));
                labels.add(PatchLabels.of(scene, new int[] {f}, size, patch));
            }
        }
        this.order = new Random(seed);
    }

    int size() {
        return jpegs.size();
    }

    /** The next {@code n} frames: their tensors into {@code pixels} and their labels into {@code patchLabels}. */
    void next(int n, float[] pixels, int[] patchLabels) {
        int frameFloats = frames.clipLength() / ShapesFrames.FRAMES;
        for (int b = 0; b < n; b++) {
            if (next == pass.length) {
                shuffle();
            }
            int i = pass[next++];
            frames.tensor(jpegs.get(i), pixels, b * frameFloats);
            System.arraycopy(labels.get(i), 0, patchLabels, b * patches, patches);
        }
    }

    private void shuffle() {
        if (jpegs.isEmpty()) {
            throw new IllegalStateException("no frames to pre-train the tower on");
        }
        pass = new int[jpegs.size()];
        for (int i = 0; i < pass.length; i++) {
            pass[i] = i;
        }
        for (int i = pass.length - 1; i > 0; i--) {
            int j = order.nextInt(i + 1);
            int t = pass[i];
            pass[i] = pass[j];
            pass[j] = t;
        }
        next = 0;
    }
}

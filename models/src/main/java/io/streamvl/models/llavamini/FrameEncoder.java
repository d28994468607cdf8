package io.streamvl.models.llavamini;

import io.streamvl.models.vision.ClipVisionTower;
import io.streamvl.models.vision.Projector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * LLaVA-Mini's per-frame, prompt-independent work: tower, compressor, projector, then Z' by pre-fusion over
 * {@code [G | Z]}. With resolution ratio r > 1 (HD), G is the r×r crops' stitched patch map followed by the
 * global view's patches, and the compressor reads the stitched map.
 */
record FrameEncoder(ClipVisionTower tower, Projector projector, Compressor compressor, PreFusion preFusion,
        int resolutionRatio) {

    /** Side of the frames {@link #encode} takes: the tower's, times the resolution ratio. */
    int inputSize() {
        return tower.config().imageSize() * resolutionRatio;
    }

    /** @param images normalised NHWC {@code [n, inputSize, inputSize, 3]}, row-major */
    List<EncodedFrame> encode(float[] images, int n) {
        List<FrameTokens> tokens = tokens(images, n);
        List<float[][]> fused = preFusion.compressedTokens(tokens);
        List<EncodedFrame> out = new ArrayList<>(n);
        for (int f = 0; f < n; f++) {
            out.add(new EncodedFrame(tokens.get(f).image(), tokens.get(f).compressed(), fused.get(f)));
        }
        return out;
    }

    /**
     * {@link #encode} with one prompt's fused text T' of each frame from the same pre-fusion run: Z' comes out of
     * a run over {@code [G | Z | text]} as it does out of one over {@code [G | Z]}, since Z comes before the text
     * and attention is causal.
     */
    List<PromptedFrame> encode(float[] images, int n, FusionText text) {
        List<FrameTokens> tokens = tokens(images, n);
        List<FusedFrame> fused = preFusion.fuse(tokens, text);
        List<PromptedFrame> out = new ArrayList<>(n);
        for (int f = 0; f < n; f++) {
            FusedFrame ff = fused.get(f);
            out.add(new PromptedFrame(new EncodedFrame(tokens.get(f).image(), tokens.get(f).compressed(),
                    ff.compressed()), ff.text()));
        }
        return out;
    }

    /** Pre-fusion's input of each frame: projected patch tokens G and projected compressed tokens Z. */
    private List<FrameTokens> tokens(float[] images, int n) {
        int patches = tower.config().numPatches();
        int width = tower.config().hiddenSize();
        float[] map;
        float[] global = null;
        if (resolutionRatio == 1) {
            map = tower.features(images, n);
        } else {
            int r = resolutionRatio;
            int views = r * r + 1;
            float[] features = tower.features(HdViews.split(images, n, r, tower.config().imageSize()), n * views);
            float[] crops = new float[n * r * r * patches * width];
            global = new float[n * patches * width];
            for (int f = 0; f < n; f++) {
                System.arraycopy(features, f * views * patches * width, crops, f * r * r * patches * width,
                        r * r * patches * width);
                System.arraycopy(features, (f * views + r * r) * patches * width, global, f * patches * width,
                        patches * width);
            }
            map = HdViews.stitch(crops, n, r, (int) Math.round(Math.sqrt(patches)), width);
        }
        int mapRows = map.length / (n * width);
        int perFrame = compressor.tokensPerFrame();
        int d = projector.outputSize();
        float[] g = projector.project(map, n * mapRows);
        float[] gGlobal = global == null ? null : projector.project(global, n * patches);
        float[] z = projector.project(compressor.compress(map, n), n * perFrame);
        int imageRows = mapRows + (global == null ? 0 : patches);
        List<FrameTokens> tokens = new ArrayList<>(n);
        for (int f = 0; f < n; f++) {
            float[] image = new float[imageRows * d];
            System.arraycopy(g, f * mapRows * d, image, 0, mapRows * d);
            if (gGlobal != null) {
                System.arraycopy(gGlobal, f * patches * d, image, mapRows * d, patches * d);
            }
            tokens.add(FrameTokens.of(image, Arrays.copyOfRange(z, f * perFrame * d, (f + 1) * perFrame * d), d));
        }
        return tokens;
    }
}

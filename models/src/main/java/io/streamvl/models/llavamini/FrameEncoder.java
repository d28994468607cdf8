package io.streamvl.models.llavamini;

import io.streamvl.models.vision.ClipVisionTower;
import io.streamvl.models.vision.Projector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** LLaVA-Mini's per-frame, prompt-independent work: tower, compressor, projector, then Z' by pre-fusion over {@code [G | Z]}. */
record FrameEncoder(ClipVisionTower tower, Projector projector, Compressor compressor, PreFusion preFusion) {

    /** @param images normalised NHWC {@code [n, imageSize, imageSize, 3]}, row-major */
    List<EncodedFrame> encode(float[] images, int n) {
        float[] features = tower.features(images, n);
        int patches = tower.config().numPatches();
        int perFrame = compressor.tokensPerFrame();
        int d = projector.outputSize();
        float[] g = projector.project(features, n * patches);
        float[] z = projector.project(compressor.compress(features, n), n * perFrame);
        List<FrameTokens> tokens = new ArrayList<>(n);
        for (int f = 0; f < n; f++) {
            tokens.add(FrameTokens.of(Arrays.copyOfRange(g, f * patches * d, (f + 1) * patches * d),
                    Arrays.copyOfRange(z, f * perFrame * d, (f + 1) * perFrame * d), d));
        }
        List<float[][]> fused = preFusion.compressedTokens(tokens);
        List<EncodedFrame> out = new ArrayList<>(n);
        for (int f = 0; f < n; f++) {
            out.add(new EncodedFrame(tokens.get(f).image(), tokens.get(f).compressed(), fused.get(f)));
        }
        return out;
    }
}

package io.streamvl.models.llavamini;

import java.util.ArrayList;
import java.util.List;

/**
 * LLaVA-Mini's video path over pre-fusion: each frame is fused with the whole prompt, the frames' Z'
 * are concatenated in order and their T' averaged. One image is the one-frame case.
 */
public final class VideoFusion {
    private VideoFusion() {}

    /** The LLM input embeddings {@code [L - 1 + N·C²][D]} for {@code Prompt.ofEmbeddings}. */
    public static float[][] input(PreFusion fusion, List<FrameTokens> frames, FusionText text) {
        List<FusedFrame> fused = fusion.fuse(frames, text);
        RunningTextFusion mean = new RunningTextFusion(text.length(), text.width());
        List<float[][]> visual = new ArrayList<>();
        for (FusedFrame f : fused) {
            mean.add(f.text());
            visual.add(f.compressed());
        }
        return LlavaMiniInput.assemble(mean.mean(), text.placeholder(), visual);
    }
}

package io.streamvl.models.tsllava;

/**
 * The knobs of TS-LLaVA's training-free token assembly; {@link #DEFAULT} is the paper's V2 setting.
 *
 * @param frames T, the most frames looked at per answer (50)
 * @param thumbnailFrames frames tiled into the thumbnail (6, a 3x2 grid)
 * @param sampledTokens tokens sampled evenly from all frames' tokens (2880); 0 leaves only the thumbnail
 * @param tokensPerFrame tokens the vision tower gives per image (576 for CLIP ViT-L/14 at 336)
 * @param imageHeight the vision tower's input height, and so the thumbnail's (336)
 * @param imageWidth the vision tower's input width (336)
 */
public record TsLlavaConfig(int frames, int thumbnailFrames, int sampledTokens, int tokensPerFrame, int imageHeight,
        int imageWidth) {

    public static final TsLlavaConfig DEFAULT = new TsLlavaConfig(50, 6, 2880, 576, 336, 336);

    public TsLlavaConfig {
        if (thumbnailFrames < 1 || frames < thumbnailFrames) {
            throw new IllegalArgumentException("need 1 <= thumbnail frames <= frames, got " + thumbnailFrames + " of "
                    + frames);
        }
        if (tokensPerFrame < 1) {
            throw new IllegalArgumentException("tokens per frame must be positive, got " + tokensPerFrame);
        }
        if (sampledTokens < 0 || sampledTokens > (long) frames * tokensPerFrame) {
            throw new IllegalArgumentException("sampled tokens must be in [0, frames * tokens per frame = "
                    + (long) frames * tokensPerFrame + "], got " + sampledTokens);
        }
        // Fails here, not at the first answer, when the grid cannot tile the image.
        new Thumbnail(thumbnailFrames, imageHeight, imageWidth);
    }

    /** Visual tokens handed to the LLM: the sampled ones and then one image's worth for the thumbnail. */
    public int visualTokens() {
        return sampledTokens + tokensPerFrame;
    }

    /** The fewest frames an answer can be built from (the reference fails below it): 6 by default. */
    public int minimumFrames() {
        int forSampling = (int) ((sampledTokens + (long) tokensPerFrame - 1) / tokensPerFrame);
        return Math.max(thumbnailFrames, forSampling);
    }

    public Thumbnail thumbnail() {
        return new Thumbnail(thumbnailFrames, imageHeight, imageWidth);
    }
}

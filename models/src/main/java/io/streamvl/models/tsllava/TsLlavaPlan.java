package io.streamvl.models.tsllava;

import java.util.Arrays;

/**
 * What one TS-LLaVA answer over a video or window of frames uses. The frames are addressed by slot
 * ({@code 0..slots()-1}), the order the reference stacks them in; a slot names a frame of the input, and
 * two slots may name the same frame (see {@link FrameIndices}), in which case both carry its tokens.
 *
 * @param frames for each slot, the index of its frame in the video or window
 * @param thumbnailSlots the slots tiled into the thumbnail, in grid order
 * @param sampler which tokens of the slots' frames are sampled, in slot order
 */
public record TsLlavaPlan(int[] frames, int[] thumbnailSlots, TokenSampler sampler) {

    public TsLlavaPlan {
        frames = frames.clone();
        thumbnailSlots = thumbnailSlots.clone();
        if (sampler.frames() != frames.length) {
            throw new IllegalArgumentException("the sampler covers " + sampler.frames() + " frames, the plan "
                    + frames.length);
        }
    }

    @Override
    public int[] frames() {
        return frames.clone();
    }

    @Override
    public int[] thumbnailSlots() {
        return thumbnailSlots.clone();
    }

    public int slots() {
        return frames.length;
    }

    /** The input frames tiled into the thumbnail, in grid order. */
    public int[] thumbnailFrames() {
        int[] picked = new int[thumbnailSlots.length];
        for (int i = 0; i < picked.length; i++) {
            picked[i] = frames[thumbnailSlots[i]];
        }
        return picked;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TsLlavaPlan other && Arrays.equals(frames, other.frames)
                && Arrays.equals(thumbnailSlots, other.thumbnailSlots)
                && sampler.tokensPerFrame() == other.sampler.tokensPerFrame()
                && Arrays.equals(sampler.positions(), other.sampler.positions());
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(frames) + Arrays.hashCode(thumbnailSlots);
    }

    @Override
    public String toString() {
        return "TsLlavaPlan[frames=" + Arrays.toString(frames) + ", thumbnailSlots=" + Arrays.toString(thumbnailSlots)
                + ", sampled=" + sampler.count() + "]";
    }
}

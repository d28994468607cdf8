package io.streamvl.shapes;

import java.util.SplittableRandom;

/**
 * The fixed shapes-world spec and the seeding of video {@code k}: everything about video k (scene,
 * questions) comes from one {@link SplittableRandom} derived from the seed and k alone, so video
 * k is the same however many videos are generated.
 */
public final class ShapesWorld {
    public static final int WIDTH = 320;
    public static final int HEIGHT = 240;
    public static final int FPS = 10;
    public static final int MIN_DURATION_SECONDS = 4;
    public static final int MAX_DURATION_SECONDS = 8;
    public static final int MIN_OBJECTS = 1;
    public static final int MAX_OBJECTS = 3;
    public static final int MIN_SIZE = 30;
    public static final int MAX_SIZE = 60;

    private ShapesWorld() {}

    /**
     * Scene, questions and caption of video {@code index} of the dataset with this seed. The scene
     * and the questions draw from two independent child generators, so questions can change
     * without changing any video.
     */
    public static ShapesVideo video(long seed, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("video index must not be negative: " + index);
        }
        SplittableRandom random = videoRandom(seed, index);
        Scene scene = SceneSampler.sample(random.split());
        return new ShapesVideo(videoName(index), scene, QuestionGenerator.generate(scene, random.split()),
                CaptionWriter.caption(scene));
    }

    /** "video-00042.mp4". */
    public static String videoName(int index) {
        return String.format("video-%05d.mp4", index);
    }

    /**
     * A generator seeded by a bijective 64-bit mix of (seed, index). Seeding SplittableRandom with
     * {@code seed + index} instead would be wrong: consecutive seeds differ by less than its
     * internal gamma, so neighbouring videos would draw shifted copies of the same stream.
     */
    static SplittableRandom videoRandom(long seed, int index) {
        return new SplittableRandom(mix(mix(seed) + index));
    }

    /** MurmurHash3's 64-bit finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}

package io.streamvl.shapes.train;

import io.streamvl.ingest.DecoderOptions;
import io.streamvl.ingest.FrameExtractor;
import io.streamvl.ingest.FrameListener;
import io.streamvl.ingest.FrameSampler;
import io.streamvl.ingest.ModelInputConverter;
import io.streamvl.ingest.ModelInputSpec;
import io.streamvl.ingest.ResizeMode;
import io.streamvl.ingest.SampledFrame;
import io.streamvl.ingest.VideoDecodeException;
import io.streamvl.ingest.VideoInput;
import io.streamvl.models.train.SamplePixels;
import io.streamvl.models.tsllava.RgbImage;
import io.streamvl.shapes.ShapesWorld;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A shapes-world video as the model sees it, through the runtime's own ingest path: decode, sample at 1 fps,
 * nearest-neighbour resize to the model's square input (LLaVA-Mini's video preprocessing), JPEG as the pipeline
 * stores frames, then the normalised NHWC tensor. Training and evaluation both take the first {@link #FRAMES}
 * sampled frames: every video lasts at least 4 s, so each one has them, the frames keep the runtime's 1 s spacing,
 * and an object has moved a visible distance by the last of them. TS-LLaVA instead picks its own frames from
 * {@link #everyFrame every frame} of the video, seen the same way. Not thread-safe.
 */
public final class ShapesFrames implements AutoCloseable {
    public static final int FRAMES = 4;
    private static final double SAMPLE_FPS = 1.0;

    private final ModelInputSpec spec;
    private final FrameExtractor extractor;
    /** One frame's tensor, reused: {@link #tensor} runs for every frame of every tower pre-training batch. */
    private final float[] frame;

    /** @param inputSize the model's frame side, e.g. {@code LlavaMiniModel.inputSize()} */
    public ShapesFrames(int inputSize) {
        spec = ModelInputSpec.clipDefaults().withSize(inputSize, inputSize).withResizeMode(ResizeMode.NEAREST);
        extractor = new FrameExtractor(DecoderOptions.defaults().withThreads(1), spec);
        frame = new float[spec.tensorLength()];
    }

    public int inputSize() {
        return spec.width();
    }

    /** Floats per clip: {@code FRAMES * inputSize * inputSize * 3}. */
    public int clipLength() {
        return FRAMES * spec.tensorLength();
    }

    /**
     * @return {@link #FRAMES} normalised NHWC frames, row-major
     * @throws VideoDecodeException if the video cannot be decoded
     * @throws IllegalArgumentException if it is shorter than {@link #FRAMES} samples
     */
    public float[] decode(Path video) throws VideoDecodeException {
        return clip(video).toArray();
    }

    /**
     * The first {@link #FRAMES} sampled frames kept as the pipeline's stored JPEGs (a few KB each, where the floats are
     * 110 KB a frame) and made into the normalised floats when read: thousands of training clips fit the heap this way.
     *
     * @throws VideoDecodeException if the video cannot be decoded
     * @throws IllegalArgumentException if it is shorter than {@link #FRAMES} samples
     */
    public SamplePixels clip(Path video) throws VideoDecodeException {
        List<byte[]> jpegs = sampledJpegs(video, SAMPLE_FPS, FRAMES);
        if (jpegs.size() < FRAMES) {
            throw new IllegalArgumentException(video + " yields " + jpegs.size() + " frames at " + SAMPLE_FPS
                    + " fps; the shapes model takes " + FRAMES);
        }
        return new JpegClip(jpegs, spec);
    }

    /**
     * Every frame of the video (the world's 10 fps), resized and stored as {@link #decode} sees its frames, as
     * RGB samples 0..255 for models that normalise pixels themselves (TS-LLaVA).
     *
     * @throws VideoDecodeException if the video cannot be decoded
     */
    public List<RgbImage> everyFrame(Path video) throws VideoDecodeException {
        List<RgbImage> frames = new ArrayList<>();
        for (byte[] jpeg : everyJpeg(video)) {
            frames.add(RgbImage.ofBytes(spec.height(), spec.width(), ModelInputConverter.jpegToRgb(jpeg, spec)));
        }
        return frames;
    }

    /**
     * Every frame of the video (the world's 10 fps) as the JPEG the pipeline stores, a few KB each: what to keep of
     * many frames, turned into tensors by {@link #tensor} only when needed.
     *
     * @throws VideoDecodeException if the video cannot be decoded
     */
    public List<byte[]> everyJpeg(Path video) throws VideoDecodeException {
        return sampledJpegs(video, ShapesWorld.FPS, Integer.MAX_VALUE);
    }

    /** Writes the normalised NHWC tensor of one stored JPEG, {@code inputSize * inputSize * 3} floats, at offset. */
    public void tensor(byte[] jpeg, float[] out, int offset) {
        ModelInputConverter.jpegToTensor(jpeg, spec, frame);
        System.arraycopy(frame, 0, out, offset, frame.length);
    }

    /** The stored JPEGs of the first {@code max} frames the ingest path samples at {@code fps}. */
    private List<byte[]> sampledJpegs(Path video, double fps, int max) throws VideoDecodeException {
        List<byte[]> jpegs = new ArrayList<>();
        extractor.extract(VideoInput.ofUri(video.toString()), video.getFileName().toString(), 0, -1,
                new FrameSampler(fps), new FrameListener() {
                    @Override
                    public void decoded(long eventTimeMillis) {}

                    @Override
                    public void sampled(SampledFrame frame) {
                        if (jpegs.size() < max) {
                            jpegs.add(frame.jpeg);
                        }
                    }
                });
        return jpegs;
    }

    @Override
    public void close() {
        extractor.close();
    }
}

package io.streamvl.jobs.cli;

import io.streamvl.ingest.DecodedFrame;
import io.streamvl.ingest.DecoderOptions;
import io.streamvl.ingest.ModelInputConverter;
import io.streamvl.ingest.ModelInputSpec;
import io.streamvl.ingest.VideoDecoder;
import io.streamvl.ingest.VideoInput;
import java.nio.file.Path;

/** An image file as a vision tower's input: decoded by FFmpeg, squash-resized, CLIP-normalised, HWC. */
final class ImageInput {
    private ImageInput() {}

    static float[] read(Path file, int size) throws Exception {
        ModelInputSpec spec = ModelInputSpec.clipDefaults().withSize(size, size);
        try (VideoDecoder decoder = VideoDecoder.open(VideoInput.ofUri(file.toString()), DecoderOptions.defaults());
                ModelInputConverter converter = new ModelInputConverter(spec)) {
            DecodedFrame frame = decoder.next();
            if (frame == null) {
                throw new IllegalArgumentException(file + " holds no image");
            }
            float[] pixels = new float[spec.tensorLength()];
            converter.toTensor(frame, pixels);
            return pixels;
        }
    }
}

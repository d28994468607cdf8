package io.streamvl.shapes;

import io.streamvl.ingest.DecodedFrame;
import io.streamvl.ingest.DecoderOptions;
import io.streamvl.ingest.ModelInputConverter;
import io.streamvl.ingest.ModelInputSpec;
import io.streamvl.ingest.ResizeMode;
import io.streamvl.ingest.VideoDecoder;
import io.streamvl.ingest.VideoInfo;
import io.streamvl.ingest.VideoInput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A written video decoded back through the project's own decoder, every frame as RGB24 at full size. */
record DecodedVideo(VideoInfo info, List<byte[]> frames) {
    static DecodedVideo of(Path file) throws Exception {
        ModelInputSpec fullSize = ModelInputSpec.clipDefaults()
                .withSize(ShapesWorld.WIDTH, ShapesWorld.HEIGHT)
                .withResizeMode(ResizeMode.NEAREST);
        List<byte[]> frames = new ArrayList<>();
        try (VideoDecoder decoder = VideoDecoder.open(VideoInput.ofUri(file.toString()), DecoderOptions.defaults());
                ModelInputConverter converter = new ModelInputConverter(fullSize)) {
            DecodedFrame f;
            while ((f = decoder.next()) != null) {
                frames.add(converter.toRgb(f));
            }
            return new DecodedVideo(decoder.info(), frames);
        }
    }
}

package io.streamvl.ingest.source;

import io.streamvl.ingest.DecodedFrame;
import io.streamvl.ingest.DecoderOptions;
import io.streamvl.ingest.FrameSampler;
import io.streamvl.ingest.ModelInputSpec;
import io.streamvl.ingest.RealMedia;
import io.streamvl.ingest.VideoDecoder;
import io.streamvl.ingest.VideoInput;
import java.util.ArrayList;
import java.util.List;

/** Real clips for the source tests, and what a plain decode says about them. */
final class SourceMedia {
    /** Small model size: these tests are about positions and records, not pixels. */
    static final ModelInputSpec SPEC = ModelInputSpec.clipDefaults().withSize(64, 64);

    private SourceMedia() {}

    static String file(String name) {
        return RealMedia.path(name);
    }

    /** Pts (µs) of every frame, straight from the decoder. */
    static List<Long> framePts(String path) throws Exception {
        List<Long> out = new ArrayList<>();
        try (VideoDecoder d = VideoDecoder.open(VideoInput.ofUri(path), DecoderOptions.defaults())) {
            for (DecodedFrame f = d.next(); f != null; f = d.next()) {
                out.add(f.ptsMicros());
            }
        }
        return out;
    }

    /** Event times (ms) of the frames sampled at {@code fps} from frames at these pts. */
    static List<Long> sampledEventTimes(List<Long> pts, long baseMillis, double fps) {
        FrameSampler sampler = new FrameSampler(fps);
        List<Long> out = new ArrayList<>();
        for (long p : pts) {
            long micros = baseMillis * 1000 + p;
            if (sampler.sample(micros)) {
                out.add(Math.floorDiv(micros, 1000L));
            }
        }
        return out;
    }
}

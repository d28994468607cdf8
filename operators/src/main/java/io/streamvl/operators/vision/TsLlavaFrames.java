package io.streamvl.operators.vision;

import io.streamvl.ingest.ModelInputConverter;
import io.streamvl.ingest.ModelInputSpec;
import io.streamvl.models.tsllava.RgbImage;
import io.streamvl.models.tsllava.TsLlavaConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The pipeline's compact frames (JPEG at model input size) as TS-LLaVA takes them: RGB samples 0..255 at its
 * tower's size, which TS-LLaVA normalises itself; the shapes evaluation sees its frames the same way.
 */
public final class TsLlavaFrames {
    private TsLlavaFrames() {}

    /** @throws IllegalArgumentException when the JPEG is unreadable or not of the tower's size */
    public static RgbImage decode(byte[] jpeg, TsLlavaConfig config) {
        ModelInputSpec spec = ModelInputSpec.clipDefaults().withSize(config.imageWidth(), config.imageHeight());
        return RgbImage.ofBytes(config.imageHeight(), config.imageWidth(),
                ModelInputConverter.jpegToRgb(jpeg == null ? new byte[0] : jpeg, spec));
    }

    /**
     * The frames, each repeated in order as often as needed to reach TS-LLaVA's minimum (its thumbnail's frames,
     * and enough frames to sample its tokens from): a window or query range at the pipeline's sampling rate may
     * hold fewer, which TS-LLaVA itself refuses. Enough frames come back as they are.
     */
    public static List<RgbImage> atLeastMinimum(List<RgbImage> frames, TsLlavaConfig config) {
        int minimum = config.minimumFrames();
        if (frames.isEmpty() || frames.size() >= minimum) {
            return frames;
        }
        List<RgbImage> out = new ArrayList<>(minimum);
        for (int i = 0; i < minimum; i++) {
            out.add(frames.get((int) ((long) i * frames.size() / minimum)));
        }
        return out;
    }
}

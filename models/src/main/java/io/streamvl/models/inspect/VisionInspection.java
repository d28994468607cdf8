package io.streamvl.models.inspect;

import io.streamvl.models.vision.ClipVisionConfig;
import io.streamvl.models.vision.ClipVisionConfigs;
import io.streamvl.models.vision.ClipVisionTower;
import io.streamvl.models.vision.VisionOptions;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.bundle.Architecture;
import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.llavamini.Compressor;
import io.streamvl.models.llavamini.CompressorWeights;
import io.streamvl.models.llavamini.LlavaMiniSettings;

/** The core of {@code streamvl model vision}: one image through a bundle's vision tower (and LLaVA-Mini's compressor). */
public final class VisionInspection {
    private VisionInspection() {}

    /**
     * @param image one normalised image, NHWC {@code [imageSize, imageSize, 3]} (see
     *     {@link ClipVisionConfigs#fromHf} of the bundle's config for the size)
     * @return the selected-layer patch features, class token dropped, {@code [patches * hidden]} row-major
     * @throws ModelFormatException when the bundle has no usable vision tower or the image has the wrong size
     */
    public static float[] run(ModelBundle bundle, float[] image) {
        return run(bundle, image, VisionOptions.defaults().withMaxBatch(1));
    }

    public static float[] run(ModelBundle bundle, float[] image, VisionOptions options) {
        checkImage(bundle, image);
        try (ClipVisionTower tower = ClipVisionTower.load(bundle, options)) {
            return tower.features(image, 1);
        }
    }

    /**
     * The LLaVA-Mini compressor's output for one image: what {@code compressed} prints.
     *
     * @param image as for {@link #run}
     * @return {@code [C² * hidden]} row-major, in the vision feature space (before the projector)
     * @throws ModelFormatException when the bundle is not {@code llava-mini} or lacks compressor tensors
     */
    public static float[] compressed(ModelBundle bundle, float[] image) {
        return compressed(bundle, image, VisionOptions.defaults().withMaxBatch(1));
    }

    public static float[] compressed(ModelBundle bundle, float[] image, VisionOptions options) {
        if (bundle.architecture() != Architecture.LLAVA_MINI) {
            throw new ModelFormatException(bundle.dir() + " holds a " + bundle.architecture().id()
                    + " model; only " + Architecture.LLAVA_MINI.id() + " bundles have a compressor");
        }
        LlavaMiniSettings settings = LlavaMiniSettings.fromHf(bundle.hfConfig());
        float[] features = run(bundle, image, options);
        try (Compressor compressor = Compressor.load(bundle.weights(), CompressorWeights.DEFAULT_PREFIX,
                settings.compressorHeads(), options)) {
            return compressor.compress(features, 1);
        }
    }

    private static void checkImage(ModelBundle bundle, float[] image) {
        ClipVisionConfig config = ClipVisionConfigs.fromHf(bundle.hfConfig());
        if (image.length != config.imageFloats()) {
            throw new ModelFormatException(bundle.dir() + ": the vision tower takes " + config.imageSize() + "x"
                    + config.imageSize() + "x3 images (" + config.imageFloats() + " floats), got " + image.length
                    + " floats");
        }
    }
}

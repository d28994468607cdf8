package io.streamvl.models.vision;

import io.streamvl.models.ModelFormatException;
import io.streamvl.models.bundle.ModelBundle;

/** The core of {@code streamvl model vision}: one image through a bundle's vision tower. */
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
        ClipVisionConfig config = ClipVisionConfigs.fromHf(bundle.hfConfig());
        if (image.length != config.imageFloats()) {
            throw new ModelFormatException(bundle.dir() + ": the vision tower takes " + config.imageSize() + "x"
                    + config.imageSize() + "x3 images (" + config.imageFloats() + " floats), got " + image.length
                    + " floats");
        }
        try (ClipVisionTower tower = ClipVisionTower.load(bundle, options)) {
            return tower.features(image, 1);
        }
    }
}

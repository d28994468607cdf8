package io.streamvl.operators.model;

import io.streamvl.models.llavamini.LlavaMiniModel;
import io.streamvl.models.tsllava.TsLlavaModel;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A way of running a bundle that {@link SharedModels} shares per JVM: LLaVA-Mini, or TS-LLaVA over the bundle's
 * image path. Its {@link #mode} is what captions, alerts and answers name in their {@code mode} field.
 */
public final class ModelKind<M extends AutoCloseable> {
    public static final ModelKind<LlavaMiniModel> LLAVA_MINI = new ModelKind<>("llava-mini",
            s -> LlavaMiniModel.open(Path.of(s.bundleDir()), s.visionOptions(), s.decoderOptions()),
            m -> m.bundle().manifest().name());
    public static final ModelKind<TsLlavaModel> TS_LLAVA = new ModelKind<>("ts-llava",
            s -> TsLlavaModel.open(Path.of(s.bundleDir()), s.visionOptions(), s.decoderOptions()),
            m -> m.bundle().manifest().name());

    private final String mode;
    private final Function<ModelSettings, M> opener;
    private final Function<M, String> name;

    private ModelKind(String mode, Function<ModelSettings, M> opener, Function<M, String> name) {
        this.mode = mode;
        this.opener = opener;
        this.name = name;
    }

    /** The name of the model, from its bundle's manifest: what the records it makes name as their model. */
    public String modelName(M model) {
        return name.apply(model);
    }

    /** @throws IllegalArgumentException for a mode that is neither {@code llava-mini} nor {@code ts-llava} */
    public static ModelKind<?> ofMode(String mode) {
        if (LLAVA_MINI.mode.equals(mode)) {
            return LLAVA_MINI;
        }
        if (TS_LLAVA.mode.equals(mode)) {
            return TS_LLAVA;
        }
        throw new IllegalArgumentException("unknown mode '" + mode + "'; the modes are " + LLAVA_MINI.mode + " and "
                + TS_LLAVA.mode);
    }

    public String mode() {
        return mode;
    }

    M open(ModelSettings settings) {
        return opener.apply(settings);
    }

    @Override
    public String toString() {
        return mode;
    }
}

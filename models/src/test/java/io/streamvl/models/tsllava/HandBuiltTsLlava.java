package io.streamvl.models.tsllava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.text.PromptTokens;
import io.streamvl.models.vision.ClipVisionConfigs;
import io.streamvl.models.vision.ClipVisionTower;
import io.streamvl.models.vision.Projector;
import io.streamvl.models.vision.VisionOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * LLaVA-1.5's image path and TS-LLaVA's LLM input built here from the runtime's separate pieces (tower at LLaVA's
 * select layer -2, projector, token embeddings) frame by frame, without {@link TsLlavaModel} or the assembler's
 * ordering, to check the model against.
 */
final class HandBuiltTsLlava {
    private static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private HandBuiltTsLlava() {}

    /** {@code [tokensPerFrame][D]}: LLaVA-1.5's {@code mm_projector(tower(image).hidden_states[-2][:, 1:])}. */
    static float[][] imageTokens(Path bundle, RgbImage image) {
        return imageTokens(bundle, List.of(image)).get(0);
    }

    /**
     * The LLM input for {@code visual} at the prompt's image marker: {@code text[:p] ++ visual ++ text[p+1:]},
     * the text embedded by the model's own LLM.
     */
    static float[][] input(TsLlavaModel model, String question, float[][] visual) {
        PromptTokens prompt = model.language().visualPrompt(question);
        int[] ids = prompt.ids();
        int p = prompt.imagePositions()[0];
        List<float[]> rows = new ArrayList<>(Arrays.asList(model.language().embed(Arrays.copyOfRange(ids, 0, p))));
        rows.addAll(Arrays.asList(visual));
        rows.addAll(Arrays.asList(model.language().embed(Arrays.copyOfRange(ids, p + 1, ids.length))));
        return rows.toArray(float[][]::new);
    }

    /**
     * TS-LLaVA's V2 visual tokens for {@code frames}: the planned slots' tokens at the sampler's flat positions,
     * then the thumbnail's tokens.
     */
    static float[][] visualTokens(Path bundle, TsLlavaConfig config, List<RgbImage> frames) {
        TsLlavaAssembler assembler = new TsLlavaAssembler(config);
        TsLlavaPlan plan = assembler.plan(frames.size());
        List<RgbImage> images = new ArrayList<>();
        for (int frame : plan.frames()) {
            images.add(frames.get(frame));
        }
        List<RgbImage> picked = new ArrayList<>();
        for (int frame : plan.thumbnailFrames()) {
            picked.add(frames.get(frame));
        }
        images.add(assembler.thumbnail().compose(picked));
        List<float[][]> tokens = imageTokens(bundle, images);
        int perFrame = config.tokensPerFrame();
        List<float[]> visual = new ArrayList<>();
        for (int position : plan.sampler().positions()) {
            visual.add(tokens.get(position / perFrame)[position % perFrame]);
        }
        visual.addAll(Arrays.asList(tokens.get(tokens.size() - 1)));
        return visual.toArray(float[][]::new);
    }

    static void assertRowsClose(float[][] actual, float[][] expected) {
        assertThat(actual).hasNumberOfRows(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("row %d", i).hasSameSizeAs(expected[i]);
            for (int j = 0; j < expected[i].length; j++) {
                assertThat(actual[i][j]).as("row %d col %d", i, j).isCloseTo(expected[i][j], within(1e-5f));
            }
        }
    }

    /** Splits {@code [rows * width]} row-major into rows. */
    static float[][] rows(float[] flat, int width) {
        float[][] out = new float[flat.length / width][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return out;
    }

    /** Each image through its own tower run, so no batching is shared with the model under test. */
    private static List<float[][]> imageTokens(Path bundle, List<RgbImage> images) {
        try (ModelBundle b = ModelBundle.open(bundle);
                ClipVisionTower tower = ClipVisionTower.load(ClipVisionConfigs.fromHf(b.hfConfig()),
                        ClipVisionConfigs.DEFAULT_SELECT_LAYER, b.weights(), VisionOptions.defaults().withMaxBatch(1));
                Projector projector = Projector.load(b.weights(), VisionOptions.defaults())) {
            int patches = tower.config().numPatches();
            List<float[][]> out = new ArrayList<>();
            for (RgbImage image : images) {
                float[] projected = projector.project(tower.features(normalise(image), 1), patches);
                out.add(rows(projected, projector.outputSize()));
            }
            return out;
        }
    }

    private static float[] normalise(RgbImage image) {
        float[] out = image.toArray();
        for (int i = 0; i < out.length; i++) {
            int c = i % 3;
            out[i] = (out[i] / 255f - MEAN[c]) / STD[c];
        }
        return out;
    }
}

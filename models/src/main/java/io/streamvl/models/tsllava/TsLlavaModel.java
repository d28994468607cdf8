package io.streamvl.models.tsllava;

import io.streamvl.models.BundleDecoder;
import io.streamvl.models.Closer;
import io.streamvl.models.LanguageModel.Answer;
import io.streamvl.models.LanguageModel.TextListener;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.bundle.Architecture;
import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.llama.DecoderOptions;
import io.streamvl.models.llama.GenerationConfig;
import io.streamvl.models.text.PromptTokens;
import io.streamvl.models.vision.ClipVisionTower;
import io.streamvl.models.vision.Projector;
import io.streamvl.models.vision.VisionOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TS-LLaVA over an image model, training-free: of a video's frames it encodes the planned ones, samples their
 * tokens evenly, adds the tokens of a thumbnail tiled from a few of the raw frames, and answers from the prompt
 * with those visual tokens (sampled first) in place of its image marker. The knobs are the manifest's
 * ({@link TsLlavaManifest}). Not thread-safe.
 *
 * <p>The image model is a {@code llava} bundle (LLaVA-1.5/1.6: CLIP tower, mlp2x_gelu projector, LLaMA decoder)
 * or the plain image path of a {@code llava-mini} bundle: the same tower, at the layer its config selects, and the
 * same projector, whose patch tokens go straight into the LLM as LLaVA-1.5's do. LLaVA-Mini's uncompressed image
 * tokens are exactly these; its compressor and pre-fusion have no part in this path and are not loaded.
 */
public final class TsLlavaModel implements AutoCloseable {
    private final Closer closer;
    private final ModelBundle bundle;
    private final ClipVisionTower tower;
    private final Projector projector;
    private final BundleDecoder language;
    private final TsLlavaAssembler assembler;

    private TsLlavaModel(Closer closer, ModelBundle bundle, ClipVisionTower tower, Projector projector,
            BundleDecoder language, TsLlavaAssembler assembler) {
        this.closer = closer;
        this.bundle = bundle;
        this.tower = tower;
        this.projector = projector;
        this.language = language;
        this.assembler = assembler;
    }

    public static TsLlavaModel open(Path dir) {
        return open(dir, VisionOptions.defaults(), DecoderOptions.defaults());
    }

    /** @throws ModelFormatException for a bundle of another architecture, or missing or misshapen tensors */
    public static TsLlavaModel open(Path dir, VisionOptions vision, DecoderOptions decoder) {
        Closer closer = new Closer();
        try {
            ModelBundle bundle = closer.add(ModelBundle.open(dir));
            if (bundle.architecture() != Architecture.LLAVA && bundle.architecture() != Architecture.LLAVA_MINI) {
                throw new ModelFormatException(dir + " holds a " + bundle.architecture().id()
                        + " model; TS-LLaVA runs over an image model of architecture " + Architecture.LLAVA.id()
                        + " or " + Architecture.LLAVA_MINI.id());
            }
            ClipVisionTower tower = closer.add(ClipVisionTower.load(bundle, vision));
            TsLlavaConfig config = TsLlavaManifest.read(bundle.manifest().json(), tower.config());
            Projector projector = closer.add(Projector.load(bundle, vision));
            int width = bundle.llamaConfig().hiddenSize();
            if (projector.inputSize() != tower.config().hiddenSize() || projector.outputSize() != width) {
                throw new ModelFormatException(dir + ": widths do not chain: tower " + tower.config().hiddenSize()
                        + ", projector " + projector.inputSize() + "->" + projector.outputSize() + ", LLM " + width);
            }
            BundleDecoder language = closer.add(BundleDecoder.open(bundle, decoder));
            return new TsLlavaModel(closer, bundle, tower, projector, language, new TsLlavaAssembler(config));
        } catch (RuntimeException e) {
            throw closer.closeAfter(e);
        }
    }

    public ModelBundle bundle() {
        return bundle;
    }

    public TsLlavaConfig config() {
        return assembler.config();
    }

    public TsLlavaAssembler assembler() {
        return assembler;
    }

    public BundleDecoder language() {
        return language;
    }

    public Answer answer(List<RgbImage> frames, String question, GenerationConfig config) {
        return answer(frames, question, config, null);
    }

    /**
     * @param frames the video's or window's frames in order, at the tower's resolution, samples 0..255
     * @param listener receives the answer's text as it becomes final; may be null
     */
    public Answer answer(List<RgbImage> frames, String question, GenerationConfig config, TextListener listener) {
        return language.generate(inputEmbeddings(frames, question), config, listener);
    }

    /**
     * Answers from visual tokens computed once by {@link #visualTokens}: they do not depend on the prompt, so
     * several questions about one video need the tower only once.
     */
    public Answer answer(float[][] visualTokens, String question, GenerationConfig config) {
        return language.generate(inputEmbeddings(visualTokens, question), config, null);
    }

    /** The LLM's input: the question's prompt with {@link #visualTokens} at its image marker. */
    public float[][] inputEmbeddings(List<RgbImage> frames, String question) {
        return inputEmbeddings(visualTokens(frames), question);
    }

    /** The LLM's input: the question's prompt with {@code visualTokens} ({@code [n][D]}) at its image marker. */
    public float[][] inputEmbeddings(float[][] visualTokens, String question) {
        PromptTokens prompt = language.visualPrompt(question);
        return TsLlavaAssembler.inputEmbeddings(prompt, visualTokens, language.decoder()::embedFlat);
    }

    /**
     * The sampled tokens of the planned frames, then the thumbnail's, {@code [visualTokens][D]}. The
     * sampling picks tower outputs before projecting (the projector works per token), so only the picked
     * rows are projected.
     */
    public float[][] visualTokens(List<RgbImage> frames) {
        TsLlavaPlan plan = assembler.plan(frames.size());
        int dv = tower.config().hiddenSize();
        TokenSampler.Collector collector = plan.sampler().collector(dv);
        Map<Integer, List<Integer>> slotsOfFrame = new LinkedHashMap<>();
        int[] slotFrames = plan.frames();
        for (int slot = 0; slot < slotFrames.length; slot++) {
            slotsOfFrame.computeIfAbsent(slotFrames[slot], f -> new ArrayList<>()).add(slot);
        }
        List<Integer> distinct = new ArrayList<>(slotsOfFrame.keySet());
        int perFrame = tower.featureFloatsPerFrame();
        int chunk = tower.options().maxBatch();
        for (int start = 0; start < distinct.size(); start += chunk) {
            List<Integer> batch = distinct.subList(start, Math.min(distinct.size(), start + chunk));
            float[] features = features(batch.stream().map(frames::get).toList());
            for (int i = 0; i < batch.size(); i++) {
                float[] one = Arrays.copyOfRange(features, i * perFrame, (i + 1) * perFrame);
                for (int slot : slotsOfFrame.get(batch.get(i))) {
                    collector.accept(slot, one);
                }
            }
        }
        float[][] sampled = project(collector.tokens(), dv);
        List<RgbImage> picked = Arrays.stream(plan.thumbnailFrames()).mapToObj(frames::get).toList();
        return assembler.visualTokens(sampled, imageTokens(assembler.thumbnail().compose(picked)));
    }

    /**
     * LLaVA-1.5's tokens for one image at the tower's resolution (samples 0..255), {@code [tokensPerFrame * D]}
     * row-major: the projector over the tower's patch features. The thumbnail takes this path, the one the image
     * model was trained on.
     */
    public float[] imageTokens(RgbImage image) {
        return projector.project(features(List.of(image)), tower.config().numPatches());
    }

    /**
     * {@link #imageTokens} as rows, {@code [tokensPerFrame][D]}: one image alone through the image path, what
     * {@link #answer(float[][], String, GenerationConfig)} takes for LLaVA-1.5's single-image layout.
     */
    public float[][] imageTokenRows(RgbImage image) {
        return projectRows(features(List.of(image)), tower.config().numPatches());
    }

    private float[] features(List<RgbImage> images) {
        return tower.features(ClipPixels.normalise(images, tower.config().imageSize()), images.size());
    }

    private float[][] project(float[][] rows, int width) {
        if (rows.length == 0) {
            return rows;
        }
        float[] flat = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * width, width);
        }
        return projectRows(flat, rows.length);
    }

    /** The projector over {@code n} feature rows laid flat, one projected row each. */
    private float[][] projectRows(float[] flat, int n) {
        int d = projector.outputSize();
        float[] out = projector.project(flat, n);
        float[][] projected = new float[n][];
        for (int i = 0; i < n; i++) {
            projected[i] = Arrays.copyOfRange(out, i * d, (i + 1) * d);
        }
        return projected;
    }

    @Override
    public void close() {
        closer.close();
    }
}

package io.streamvl.models.llavamini;

import io.streamvl.models.BundleDecoder;
import io.streamvl.models.Closer;
import io.streamvl.models.LanguageModel.Answer;
import io.streamvl.models.LanguageModel.TextListener;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.bundle.Architecture;
import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.llama.DecoderOptions;
import io.streamvl.models.llama.GenerationConfig;
import io.streamvl.models.vision.ClipVisionConfig;
import io.streamvl.models.vision.ClipVisionTower;
import io.streamvl.models.vision.Projector;
import io.streamvl.models.vision.VisionOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code llava-mini} bundle ready to answer about frames: CLIP tower, compressor and projector turn
 * frames into {@link EncodedFrame}s (with the prompt-independent Z'); pre-fusion fuses a prompt with the
 * frames' full tokens; the LLM generates from {@code T'[:p] ++ Z'_1..Z'_N ++ T'[p+1:]} with T' the mean
 * over frames (seeds §2.4–2.5). {@link IncrementalCaption} is the streaming form for a fixed prompt.
 * Settings come from {@code config.json} (see {@link LlavaMiniSettings}); tensors use the reference's
 * names ({@code model.compressor.*}, {@code model.prefusion_layers.*}). Not thread-safe.
 */
public final class LlavaMiniModel implements AutoCloseable {
    private static final int PROMPTS_KEPT = 64;
    private final Closer closer;
    private final ModelBundle bundle;
    private final LlavaMiniSettings settings;
    private final FrameEncoder encoder;
    private final BundleDecoder language;
    private final Map<String, FusionText> prompts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FusionText> eldest) {
            return size() > PROMPTS_KEPT;
        }
    };

    private LlavaMiniModel(Closer closer, ModelBundle bundle, LlavaMiniSettings settings, FrameEncoder encoder,
            BundleDecoder language) {
        this.closer = closer;
        this.bundle = bundle;
        this.settings = settings;
        this.encoder = encoder;
        this.language = language;
    }

    public static LlavaMiniModel open(Path dir) {
        return open(dir, VisionOptions.defaults(), DecoderOptions.defaults());
    }

    /**
     * @param vision device, threads and frames per run of the tower, compressor, projector and pre-fusion
     * @param decoder the LLM's device, threads and KV cache
     * @throws ModelFormatException for a bundle of another architecture, or missing or misshapen tensors
     */
    public static LlavaMiniModel open(Path dir, VisionOptions vision, DecoderOptions decoder) {
        Closer closer = new Closer();
        try {
            ModelBundle bundle = closer.add(ModelBundle.open(dir));
            if (bundle.architecture() != Architecture.LLAVA_MINI) {
                throw new ModelFormatException(dir + " holds a " + bundle.architecture().id()
                        + " model; LLaVA-Mini needs architecture " + Architecture.LLAVA_MINI.id());
            }
            LlavaMiniSettings settings = LlavaMiniSettings.fromHf(bundle.hfConfig());
            Compressor compressor = closer.add(Compressor.load(bundle.weights(), CompressorWeights.DEFAULT_PREFIX,
                    settings.compressorHeads(), vision));
            if (compressor.gridSide() != settings.compressorSize()) {
                throw new ModelFormatException(dir + ": config.json says " + LlavaMiniSettings.COMPRESSOR_SIZE + " "
                        + settings.compressorSize() + ", the compressor's queries form a " + compressor.gridSide() + "x"
                        + compressor.gridSide() + " grid");
            }
            PreFusion preFusion = closer.add(PreFusion.load(bundle.llamaConfig(), settings.prefusionLayers(),
                    PreFusion.DEFAULT_PREFIX, bundle.weights(), decoder.withMaxBatch(vision.maxBatch())));
            ClipVisionTower tower = closer.add(ClipVisionTower.load(bundle, vision));
            Projector projector = closer.add(Projector.load(bundle, vision));
            checkWidths(dir, tower.config(), compressor, projector, bundle.llamaConfig().hiddenSize());
            BundleDecoder language = closer.add(BundleDecoder.open(bundle, decoder));
            return new LlavaMiniModel(closer, bundle, settings,
                    new FrameEncoder(tower, projector, compressor, preFusion, settings.resolutionRatio()), language);
        } catch (RuntimeException e) {
            throw closer.closeAfter(e);
        }
    }

    public ModelBundle bundle() {
        return bundle;
    }

    public LlavaMiniSettings settings() {
        return settings;
    }

    public ClipVisionConfig visionConfig() {
        return encoder.tower().config();
    }

    /** Side of the frames {@link #encode} takes: the tower's image size, times the resolution ratio in HD mode. */
    public int inputSize() {
        return encoder.inputSize();
    }

    /** Vision tokens the LLM sees per frame: C². */
    public int tokensPerFrame() {
        return encoder.compressor().tokensPerFrame();
    }

    public BundleDecoder language() {
        return language;
    }

    /**
     * Encodes {@code n} frames: tower, compressor (in CLIP space), projector of patches and compressed tokens,
     * then Z' by pre-fusion over {@code [G | Z]}.
     *
     * @param images normalised NHWC {@code [n, inputSize(), inputSize(), 3]}, row-major
     */
    public List<EncodedFrame> encode(float[] images, int n) {
        return encoder.encode(images, n);
    }

    /**
     * {@link #encode(float[], int)} with each frame's fused text T' for {@code prompt} from the same pre-fusion run,
     * for a prompt known before the frames come (a caption prompt): encoding and fusing a batch of frames in one
     * run rather than fusing each frame again in a run of its own.
     */
    public List<PromptedFrame> encode(float[] images, int n, String prompt) {
        return encoder.encode(images, n, fusionText(prompt));
    }

    public Answer answer(List<EncodedFrame> frames, String question, GenerationConfig config) {
        return answer(frames, question, config, null);
    }

    /**
     * Answers about the frames, in temporal order: the question's fused text with every frame, averaged,
     * around the frames' stored Z'.
     *
     * @param listener receives the answer's text as it becomes final; may be null
     */
    public Answer answer(List<EncodedFrame> frames, String question, GenerationConfig config, TextListener listener) {
        return language.generate(input(frames, question), config, listener);
    }

    /**
     * The LLM's input embeddings for a question about the frames, {@code [L - 1 + N·C²][D]}: the question's
     * fused text with every frame, averaged, around the frames' stored Z'.
     */
    public float[][] input(List<EncodedFrame> frames, String question) {
        FusionText text = fusionText(question);
        RunningTextFusion mean = new RunningTextFusion(text.length(), text.width());
        for (float[][] t : fuseText(frames, text)) {
            mean.add(t);
        }
        return LlavaMiniInput.assemble(mean.mean(), text.placeholder(), frames.stream().map(EncodedFrame::fused).toList());
    }

    /** The {@link IncrementalCaption} of a prompt's running state. */
    public IncrementalCaption incrementalCaption(String prompt, IncrementalCaption.State state) {
        FusionText text = fusionText(prompt);
        if (state.text().length() != text.length() || state.text().width() != text.width()) {
            throw new IllegalArgumentException("the caption state is for a prompt of " + state.text().length()
                    + " tokens of width " + state.text().width() + ", this prompt has " + text.length() + " of "
                    + text.width());
        }
        return new IncrementalCaption(text, state);
    }

    /**
     * One frame's fused text T' with each prompt, all in one pre-fusion run (a stream's standing questions as a frame
     * arrives): what a run for each prompt alone gives, up to float rounding.
     */
    public List<float[][]> fusedTexts(EncodedFrame frame, List<String> prompts) {
        return encoder.preFusion().fuseTexts(frame.tokens(), prompts.stream().map(this::fusionText).toList());
    }

    /**
     * The prompt as pre-fusion takes it: ids with one image marker and the LLM's embeddings of {@code max(id, 0)}.
     * Kept for the prompts seen last: a stream's caption prompt and standing questions come with every frame, and
     * each lookup is a TF run of its own.
     */
    FusionText fusionText(String question) {
        FusionText text = prompts.get(question);
        if (text == null) {
            int[] ids = language.visualPrompt(question).ids();
            text = new FusionText(ids, language.embed(FusionText.lookupIds(ids)));
            prompts.put(question, text);
        }
        return text;
    }

    List<float[][]> fuseText(List<EncodedFrame> frames, FusionText text) {
        return encoder.preFusion().fuse(frames.stream().map(EncodedFrame::tokens).toList(), text).stream()
                .map(FusedFrame::text).toList();
    }

    private static void checkWidths(Path dir, ClipVisionConfig vision, Compressor compressor, Projector projector,
            int llmWidth) {
        if (compressor.width() != vision.hiddenSize() || projector.inputSize() != vision.hiddenSize()
                || projector.outputSize() != llmWidth) {
            throw new ModelFormatException(dir + ": widths do not chain: tower " + vision.hiddenSize() + ", compressor "
                    + compressor.width() + ", projector " + projector.inputSize() + "->" + projector.outputSize()
                    + ", LLM " + llmWidth);
        }
    }

    @Override
    public void close() {
        closer.close();
    }
}

package io.streamvl.models.train;

import io.streamvl.models.ModelFormatException;
import io.streamvl.models.bundle.Architecture;
import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.text.PromptTemplate;
import io.streamvl.models.text.PromptTokens;
import io.streamvl.models.text.Tokenizer;
import io.streamvl.models.weights.InMemoryTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Trains a {@code llava-mini} bundle's weights (all of them) with Adam on question/answer samples over N-frame
 * clips, teacher-forced: the answer follows the prompt as ordinary token embeddings, exactly as generated tokens
 * do at inference, and only the answer tokens (through the stop token) are scored. Prompts go through the
 * bundle's own template and tokenizer, so training sees what the runtime will. The result is written back as a
 * bundle by {@link #export}. Deterministic for the same bundle, options and sample order. Not thread-safe.
 */
public final class LlavaMiniTrainer implements AutoCloseable {
    private final ModelBundle bundle;
    private final Tokenizer tokenizer;
    private final PromptTemplate template;
    private final int stopToken;
    private final TrainingGraph g;
    private final TrainerOptions options;
    private long steps;
    private float lastBindingLoss = Float.NaN;
    private float lastImageBindingLoss = Float.NaN;

    private LlavaMiniTrainer(ModelBundle bundle, Tokenizer tokenizer, PromptTemplate template, int stopToken,
            TrainingGraph g, TrainerOptions options) {
        this.bundle = bundle;
        this.options = options;
        this.tokenizer = tokenizer;
        this.template = template;
        this.stopToken = stopToken;
        this.g = g;
    }

    /**
     * Starts from the bundle's weights, e.g. a seeded random {@code TinyLlavaMini} or an earlier export. The
     * bundle stays open until {@link #close}.
     *
     * @throws ModelFormatException for a bundle of another architecture, without stop tokens, or with bad tensors
     */
    public static LlavaMiniTrainer open(Path dir, TrainerOptions options) {
        ModelBundle bundle = ModelBundle.open(dir);
        Tokenizer tokenizer = null;
        try {
            if (bundle.architecture() != Architecture.LLAVA_MINI) {
                throw new ModelFormatException(dir + " holds a " + bundle.architecture().id() + " model; the trainer needs "
                        + Architecture.LLAVA_MINI.id());
            }
            if (bundle.manifest().stopTokenIds().isEmpty()) {
                throw new ModelFormatException(dir + ": no stop token to end the answers with");
            }
            tokenizer = Tokenizer.load(bundle.tokenizerJson());
            PromptTemplate template = PromptTemplate.forName(bundle.manifest().promptTemplate());
            return new LlavaMiniTrainer(bundle, tokenizer, template, bundle.manifest().stopTokenIds().get(0),
                    new TrainingGraph(bundle, options), options);
        } catch (RuntimeException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            bundle.close();
            throw e;
        }
    }

    /** Frames per sample. */
    public int frames() {
        return g.frames;
    }

    /** Vision patches per frame, the length of a frame's patch labels. */
    public int patchesPerFrame() {
        return g.patches;
    }

    /** Side of the frames. */
    public int imageSize() {
        return g.imageSize;
    }

    /**
     * One Adam step on the batch; returns the mean answer-token cross-entropy of its video samples before the step.
     * With the image path the batch also holds single-frame samples (one frame's floats each) for it.
     */
    public float step(List<TrainingSample> batch) {
        if (g.image != null && batch.stream().allMatch(this::isVideo)) {
            throw new IllegalArgumentException("a step of the image path needs single-frame samples too");
        }
        long step = ++steps;
        try (Feeds feeds = feeds(batch)) {
            Session.Runner runner = feeds.runner().addTarget(g.train).fetch(g.loss);
            BindingHead imageBinding = g.image == null ? null : g.image.binding;
            if (g.binding != null) {
                runner.fetch(g.binding.loss);
            }
            if (imageBinding != null) {
                runner.fetch(imageBinding.loss);
            }
            try (Result r = runner.feed(g.optimizer.learningRate, feeds.scalar(options.schedule().rate(step)))
                    .feed(g.optimizer.betaOnePower, feeds.scalar(ScheduledAdam.betaOnePower(step)))
                    .feed(g.optimizer.betaTwoPower, feeds.scalar(ScheduledAdam.betaTwoPower(step))).run()) {
                int fetched = 1;
                if (g.binding != null) {
                    lastBindingLoss = ((TFloat32) r.get(fetched++)).getFloat();
                }
                if (imageBinding != null) {
                    lastImageBindingLoss = ((TFloat32) r.get(fetched)).getFloat();
                }
                return ((TFloat32) r.get(0)).getFloat();
            }
        }
    }

    /**
     * The video path's binding loss of the last {@link #step}'s batch, before that step; NaN without that loss or a
     * step.
     */
    public float lastBindingLoss() {
        return lastBindingLoss;
    }

    /** The image path's binding loss of the last {@link #step}'s batch, as {@link #lastBindingLoss}. */
    public float lastImageBindingLoss() {
        return lastImageBindingLoss;
    }

    /** Steps taken, those of a restored checkpoint included: where the learning-rate schedule stands. */
    public long steps() {
        return steps;
    }

    /**
     * Writes every variable of the training graph (the weights, the training-only heads and Adam's moments) as a
     * TensorFlow checkpoint at {@code prefix} ({@code prefix.index} and its data files), for {@link #restore}.
     */
    public void save(Path prefix) {
        g.session.save(prefix.toString());
    }

    /**
     * Continues from a {@link #save}d checkpoint of a trainer of the same bundle configuration and options that had
     * taken {@code steps} steps: the next step is then the one that trainer would have taken next, with the same
     * rate and Adam state.
     */
    public void restore(Path prefix, long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must not be negative: " + steps);
        }
        g.session.restore(prefix.toString());
        this.steps = steps;
    }

    /** The batch's loss under the current weights, without a step. */
    public float loss(List<TrainingSample> batch) {
        return evaluate(batch, g.loss);
    }

    /**
     * The image path's answer loss on the batch's single-frame samples under the current weights.
     *
     * @throws IllegalStateException when the trainer has no image path
     */
    public float imageLoss(List<TrainingSample> batch) {
        if (g.image == null) {
            throw new IllegalStateException("trained without the image path");
        }
        return evaluate(batch, g.image.loss);
    }

    /**
     * The batch's patch-classification loss under the current weights.
     *
     * @throws IllegalStateException when the trainer has no patch loss
     */
    public float patchLoss(List<TrainingSample> batch) {
        if (g.patchLoss == null) {
            throw new IllegalStateException("trained without a patch loss");
        }
        return evaluate(batch, g.patchLoss);
    }

    /**
     * The batch's binding loss under the current weights: the squared error of its subjects' places read from the
     * LLM, per subject.
     *
     * @throws IllegalStateException when the trainer has no binding loss
     */
    public float bindingLoss(List<TrainingSample> batch) {
        if (g.binding == null) {
            throw new IllegalStateException("trained without a binding loss on the video path");
        }
        return evaluate(batch, g.binding.loss);
    }

    /**
     * The batch's image path binding loss under the current weights, per subject of its single-frame samples; the
     * batch needs video samples too, as a step does.
     *
     * @throws IllegalStateException when the trainer has no binding loss on the image path
     */
    public float imageBindingLoss(List<TrainingSample> batch) {
        if (g.image == null || g.image.binding == null) {
            throw new IllegalStateException("trained without a binding loss on the image path");
        }
        return evaluate(batch, g.image.binding.loss);
    }

    /** A scalar of the graph on the batch under the current weights, without a step. */
    private float evaluate(List<TrainingSample> batch, Operand<TFloat32> value) {
        try (Feeds feeds = feeds(batch); Result r = feeds.runner().fetch(value).run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    /**
     * The logits that score each sample's answer tokens, teacher-forced: row k predicts answer token k (the last
     * one the stop token), {@code [sample][token][vocab]}.
     */
    public float[][][] answerLogits(List<TrainingSample> batch) {
        try (Feeds feeds = feeds(batch); Result r = feeds.runner().fetch(g.logits).run()) {
            TFloat32 logits = (TFloat32) r.get(0);
            int vocab = (int) logits.shape().get(2);
            int length = feeds.batch().sequenceLength();
            float[][][] out = new float[batch.size()][][];
            for (int b = 0; b < batch.size(); b++) {
                out[b] = new float[feeds.batch().answerTokens()[b]][vocab];
                for (int k = 0; k < out[b].length; k++) {
                    long row = (long) b * length + feeds.batch().firstTarget()[b] + k;
                    logits.asRawTensor().data().asFloats().offset(row * vocab).read(out[b][k]);
                }
            }
            return out;
        }
    }

    /** The current weights under the bundle's tensor names. */
    public InMemoryTensors weights() {
        return g.weights();
    }

    /** Writes the current weights as a bundle like the one training started from (see {@link BundleExporter}). */
    public Path export(Path dir, String name) {
        return BundleExporter.export(bundle, weights(), dir, name);
    }

    /**
     * Feeds for the video samples ({@code frames()} clips), and with the image path for the single-frame samples
     * too; a step needs both kinds then.
     */
    private Feeds feeds(List<TrainingSample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("empty batch");
        }
        int frameFloats = frameFloats();
        List<TrainingSample> videos = new ArrayList<>();
        List<TrainingSample> images = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            TrainingSample s = samples.get(i);
            if (isVideo(s)) {
                videos.add(s);
            } else if (g.image != null && s.pixels().length() == frameFloats) {
                images.add(s);
            } else {
                throw new IllegalArgumentException("sample " + i + " has " + s.pixels().length()
                        + " floats, expected " + g.frames + (g.image == null ? "" : " or 1") + " frames of "
                        + g.imageSize + "x" + g.imageSize + "x3");
            }
        }
        if (videos.isEmpty()) {
            throw new IllegalArgumentException("a batch needs video samples of " + g.frames + " frames");
        }
        float[] pixels = new float[videos.size() * g.frames * frameFloats];
        int[] patchLabels = g.patchLabels == null ? null : new int[videos.size() * g.frames * g.patches];
        for (int i = 0; i < videos.size(); i++) {
            TrainingSample s = videos.get(i);
            s.pixels().copyTo(0, pixels, i * g.frames * frameFloats, s.pixels().length());
            if (patchLabels != null) {
                if (s.patchLabels() == null || s.patchLabels().length != g.frames * g.patches) {
                    throw new IllegalArgumentException("video sample " + i + " needs " + g.frames + " x " + g.patches
                            + " patch labels for the patch loss");
                }
                System.arraycopy(s.patchLabels(), 0, patchLabels, i * g.frames * g.patches, s.patchLabels().length);
            }
        }
        Feeds feeds = new Feeds(g, batch(videos, g.frames, g.visionLength, g.visualTokens), pixels, patchLabels);
        if (g.binding != null) {
            feeds.addSubjects(g.binding, feeds.batch(), videos, g.frames, "video");
        }
        if (!images.isEmpty()) {
            int views = g.image.views;
            float[] frames = new float[images.size() * views * frameFloats];
            for (int i = 0; i < images.size(); i++) {
                float[] frame = images.get(i).pixels().toArray();
                System.arraycopy(views == 1 ? frame : AnyResViews.of(frame, g.imageSize), 0, frames,
                        i * views * frameFloats, views * frameFloats);
            }
            TrainingBatch imageBatch = batch(images, 1, 0, g.image.visualTokens);
            feeds.addImages(imageBatch, frames);
            if (g.image.binding != null) {
                feeds.addSubjects(g.image.binding, imageBatch, images, 1, "image");
            }
        }
        return feeds;
    }

    private boolean isVideo(TrainingSample s) {
        return s.pixels().length() == g.frames * frameFloats();
    }

    private int frameFloats() {
        return g.imageSize * g.imageSize * 3;
    }

    private TrainingBatch batch(List<TrainingSample> samples, int frames, int visionLength, int visualTokens) {
        List<int[]> prompts = new ArrayList<>();
        List<int[]> answers = new ArrayList<>();
        int[] placeholders = new int[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            TrainingSample s = samples.get(i);
            PromptTokens prompt = template.tokenize(tokenizer, s.question());
            if (prompt.imagePositions().length != 1) {
                throw new ModelFormatException("prompt template '" + template.name() + "' places "
                        + prompt.imagePositions().length + " images; LLaVA-Mini training needs exactly one");
            }
            prompts.add(prompt.ids());
            placeholders[i] = prompt.imagePositions()[0];
            int[] words = tokenizer.encode(s.answer(), false);
            int[] answer = Arrays.copyOf(words, words.length + 1);
            answer[words.length] = stopToken;
            answers.add(answer);
        }
        return TrainingBatch.of(prompts, answers, placeholders, frames, visionLength, visualTokens);
    }

    /** The tensors of one batch, closed after the run. */
    private static final class Feeds implements AutoCloseable {
        private final TrainingGraph g;
        private final TrainingBatch batch;
        private final List<Tensor> tensors = new ArrayList<>();
        private final Session.Runner runner;

        Feeds(TrainingGraph g, TrainingBatch b, float[] images, int[] patchLabels) {
            this.g = g;
            this.batch = b;
            int n = b.size();
            int fusionRows = n * g.frames;
            runner = g.session.runner()
                    .feed(g.images, floats(images, n * g.frames, g.imageSize, g.imageSize, 3))
                    .feed(g.textIds, ints(b.textIds(), n, b.textLength()))
                    .feed(g.textVisible, floats(b.textVisible(), n, b.textLength()))
                    .feed(g.fusionPositions, ints(b.fusionPositions(), fusionRows, g.visionLength + b.textLength()))
                    .feed(g.fusionMask, ints(b.fusionMask(), fusionRows, g.visionLength + b.textLength()))
                    .feed(g.answerIds, ints(b.answerIds(), n, b.answerLength()))
                    .feed(g.sourceRows, ints(b.sourceRows(), b.sourceRows().length))
                    .feed(g.positions, ints(b.positions(), n, b.sequenceLength()))
                    .feed(g.targets, ints(b.targets(), n, b.sequenceLength()))
                    .feed(g.weights, floats(b.weights(), n, b.sequenceLength()));
            if (patchLabels != null) {
                runner.feed(g.patchLabels, ints(patchLabels, (long) n * g.frames, g.patches));
            }
        }

        /** The places a binding head regresses, of {@code samples} laid out as {@code b}, {@code frames} each. */
        void addSubjects(BindingHead head, TrainingBatch b, List<TrainingSample> samples, int frames, String kind) {
            int width = frames * 2;
            List<Integer> rows = new ArrayList<>();
            List<float[]> places = new ArrayList<>();
            for (int i = 0; i < b.size(); i++) {
                for (TrainingSample.Subject subject : samples.get(i).subjects()) {
                    if (subject.places().length != width) {
                        throw new IllegalArgumentException(kind + " sample " + i + " has " + subject.places().length
                                + " subject coordinates, expected " + width);
                    }
                    if (subject.answerToken() >= b.answerTokens()[i]) {
                        throw new IllegalArgumentException(kind + " sample " + i + " has a subject at answer token "
                                + subject.answerToken() + " of " + b.answerTokens()[i]);
                    }
                    rows.add(i * b.sequenceLength() + b.firstTarget()[i] + subject.answerToken());
                    places.add(subject.places());
                }
            }
            // a batch without subjects still feeds one row, weighing nothing
            int n = Math.max(rows.size(), 1);
            int[] rowArray = new int[n];
            float[] placeArray = new float[n * width];
            float[] present = new float[n];
            for (int r = 0; r < rows.size(); r++) {
                rowArray[r] = rows.get(r);
                System.arraycopy(places.get(r), 0, placeArray, r * width, width);
                present[r] = 1;
            }
            runner.feed(head.answerRows, ints(rowArray, n))
                    .feed(head.places, floats(placeArray, n, width))
                    .feed(head.present, floats(present, n));
        }

        void addImages(TrainingBatch b, float[] frames) {
            ImagePath image = g.image;
            int n = b.size();
            runner.feed(image.images, floats(frames, (long) n * image.views, g.imageSize, g.imageSize, 3))
                    .feed(image.textIds, ints(b.textIds(), n, b.textLength()))
                    .feed(image.answerIds, ints(b.answerIds(), n, b.answerLength()))
                    .feed(image.sourceRows, ints(b.sourceRows(), b.sourceRows().length))
                    .feed(image.positions, ints(b.positions(), n, b.sequenceLength()))
                    .feed(image.targets, ints(b.targets(), n, b.sequenceLength()))
                    .feed(image.weights, floats(b.weights(), n, b.sequenceLength()));
        }

        TrainingBatch batch() {
            return batch;
        }

        Session.Runner runner() {
            return runner;
        }

        private TFloat32 floats(float[] values, long... shape) {
            TFloat32 t = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
            tensors.add(t);
            return t;
        }

        TFloat32 scalar(float value) {
            TFloat32 t = TFloat32.scalarOf(value);
            tensors.add(t);
            return t;
        }

        private TInt32 ints(int[] values, long... shape) {
            TInt32 t = TInt32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
            tensors.add(t);
            return t;
        }

        @Override
        public void close() {
            tensors.forEach(Tensor::close);
        }
    }

    @Override
    public void close() {
        try {
            g.close();
        } finally {
            tokenizer.close();
            bundle.close();
        }
    }
}

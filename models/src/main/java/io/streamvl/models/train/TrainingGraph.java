package io.streamvl.models.train;

import io.streamvl.models.GraphVariables;
import io.streamvl.models.TfSessions;
import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.llama.DecoderGraph;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.llavamini.CompressorLayers;
import io.streamvl.models.llavamini.CompressorWeights;
import io.streamvl.models.llavamini.LlavaMiniSettings;
import io.streamvl.models.llavamini.PreFusion;
import io.streamvl.models.vision.ClipVisionConfig;
import io.streamvl.models.vision.ClipVisionConfigs;
import io.streamvl.models.vision.ClipVisionLayers;
import io.streamvl.models.vision.ClipVisionWeights;
import io.streamvl.models.vision.ProjectorLayers;
import io.streamvl.models.vision.ProjectorWeights;
import io.streamvl.models.weights.InMemoryTensors;
import io.streamvl.models.weights.PrefixedTensors;
import io.streamvl.models.weights.TensorSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;
import org.tensorflow.types.TInt32;

/**
 * LLaVA-Mini's whole forward pass as one differentiable graph, built from the runtime's own layer math:
 * tower → compressor → projector → pre-fusion over {@code [G | Z | text]} per frame → Z' and the frame-mean T̄'
 * → the LLM over {@code T̄'[:p] ++ Z'_1..Z'_N ++ T̄'[p+1:] ++ answer embeddings} → cross-entropy on the answer
 * tokens, with an Adam step. Every weight is a variable loaded from the bundle under its HF name, in one
 * {@link GraphVariables} per part so the names can be written back.
 */
final class TrainingGraph {
    private static final long PATCH_HEAD_SEED = 0x5eed;
    private static final String TOWER_PREFIX = "tower_";

    final Graph graph;
    final Session session;
    final int frames;
    final int visionLength;
    final int visualTokens;
    final int imageSize;

    final Placeholder<TFloat32> images;
    final Placeholder<TInt32> textIds;
    final Placeholder<TFloat32> textVisible;
    final Placeholder<TInt32> fusionPositions;
    final Placeholder<TInt32> fusionMask;
    final Placeholder<TInt32> answerIds;
    final Placeholder<TInt32> sourceRows;
    final Placeholder<TInt32> positions;
    final Placeholder<TInt32> targets;
    final Placeholder<TFloat32> weights;
    /** Null without the patch loss. */
    final Placeholder<TInt32> patchLabels;
    final int patches;
    final Operand<TFloat32> logits;
    final Operand<TFloat32> loss;
    /** Null without the image path. */
    final ImagePath image;
    /** Null without the patch loss. */
    final Operand<TFloat32> patchLoss;
    /** Null without the video path's binding loss. */
    final BindingHead binding;
    final Op train;
    final ScheduledAdam optimizer;

    /** Each part's variables with the view its tensor names are relative to. */
    private record Part(GraphVariables vars, TensorSource view) {}

    private final List<Part> parts;

    TrainingGraph(ModelBundle bundle, TrainerOptions options) {
        LlamaConfig llm = bundle.llamaConfig();
        LlavaMiniSettings settings = LlavaMiniSettings.fromHf(bundle.hfConfig());
        if (settings.hd()) {
            throw new IllegalArgumentException("training supports resolution_ratio 1, the bundle has "
                    + settings.resolutionRatio());
        }
        ClipVisionConfig vision = ClipVisionConfigs.fromHf(bundle.hfConfig());
        int towerLayers = vision.layersFor(ClipVisionConfigs.selectLayer(bundle.hfConfig()));
        TensorSource all = bundle.weights();
        TensorSource towerView = ClipVisionWeights.tower(all);
        ClipVisionWeights.check(vision, towerLayers, towerView);
        TensorSource projectorView = ProjectorWeights.projector(all);
        ProjectorWeights.checkType(bundle.hfConfig());
        TensorSource llmView = bundle.languageModelWeights();

        this.frames = options.frames();
        this.imageSize = vision.imageSize();
        int d = llm.hiddenSize();
        int dv = vision.hiddenSize();
        int patches = vision.numPatches();
        this.patches = patches;
        this.graph = new Graph();
        try {
            Ops tf = TfSessions.place(Ops.create(graph), options.device());
            GraphVariables towerVars = new GraphVariables(tf, TOWER_PREFIX);
            GraphVariables projectorVars = new GraphVariables(tf, "projector_");
            GraphVariables compressorVars = new GraphVariables(tf, "compressor_");
            GraphVariables fusionVars = new GraphVariables(tf, "prefusion_");
            GraphVariables llmVars = new GraphVariables(tf, "llm_");
            ClipVisionLayers tower = new ClipVisionLayers(tf.withSubScope("tower_ops"), vision, towerLayers, towerVars);
            ProjectorLayers projector = new ProjectorLayers(tf.withSubScope("projector_ops"), projectorVars, dv, d);
            CompressorLayers compressor = CompressorLayers.declare(tf.withSubScope("compressor_ops"), compressorVars, all,
                    CompressorWeights.DEFAULT_PREFIX, settings.compressorHeads());
            DecoderGraph fusion = DecoderGraph.stack(tf.withSubScope("prefusion_ops"), llm, settings.prefusionLayers(),
                    PreFusion.DEFAULT_PREFIX, all, fusionVars);
            DecoderGraph decoder = DecoderGraph.causalLm(tf.withSubScope("llm_ops"), llm, llmView, llmVars);
            int c2 = compressor.gridSide() * compressor.gridSide();
            this.visionLength = patches + c2;
            this.visualTokens = frames * c2;
            this.parts = List.of(new Part(towerVars, towerView), new Part(projectorVars, projectorView),
                    new Part(compressorVars, all), new Part(fusionVars, all), new Part(llmVars, llmView));

            images = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, imageSize, imageSize, 3)));
            textIds = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
            textVisible = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1)));
            fusionPositions = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
            fusionMask = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
            answerIds = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
            sourceRows = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            positions = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
            targets = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
            weights = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1)));

            Operand<TFloat32> features = tower.features(images);
            Operand<TFloat32> keyPositions = tf.constant(Shape.of(patches, dv),
                    DataBuffers.of(compressor.keyPositions(patches), true, false));
            Operand<TFloat32> compressed = compressor.compress(features, keyPositions);
            Operand<TFloat32> g = tf.reshape(projector.project(tf.reshape(features, tf.constant(new int[] {-1, dv}))),
                    tf.constant(new int[] {-1, patches, d}));
            Operand<TFloat32> z = tf.reshape(projector.project(tf.reshape(compressed, tf.constant(new int[] {-1, dv}))),
                    tf.constant(new int[] {-1, c2, d}));

            Operand<TFloat32> text = decoder.embed(textIds);
            Operand<TInt32> textShape = tf.shape(textIds);
            Operand<TInt32> batch = tf.slice(textShape, tf.constant(new int[] {0}), tf.constant(new int[] {1}));
            Operand<TInt32> textLength = tf.slice(textShape, tf.constant(new int[] {1}), tf.constant(new int[] {1}));
            // Every frame of a sample is fused with the same prompt.
            Operand<TFloat32> textPerFrame = tf.reshape(
                    tf.broadcastTo(tf.expandDims(text, tf.constant(1)),
                            tf.concat(List.of(batch, tf.constant(new int[] {frames}), textLength, tf.constant(new int[] {d})),
                                    tf.constant(0))),
                    tf.concat(List.of(tf.constant(new int[] {-1}), textLength, tf.constant(new int[] {d})), tf.constant(0)));
            Operand<TFloat32> fused = fusion.hidden(tf.concat(List.of(g, z, textPerFrame), tf.constant(1)),
                    fusionPositions, fusionMask);
            Operand<TFloat32> zPrime = tf.reshape(
                    tf.slice(fused, tf.constant(new int[] {0, patches, 0}), tf.constant(new int[] {-1, c2, -1})),
                    tf.concat(List.of(batch, tf.constant(new int[] {visualTokens, d})), tf.constant(0)));
            Operand<TFloat32> tPrime = tf.math.mean(tf.reshape(
                    tf.slice(fused, tf.constant(new int[] {0, visionLength, 0}), tf.constant(new int[] {-1, -1, -1})),
                    tf.concat(List.of(batch, tf.constant(new int[] {frames}), textLength, tf.constant(new int[] {d})),
                            tf.constant(0))), tf.constant(1));
            // Hidden columns (placeholder, padding) keep their original embeddings, as in the runtime.
            Operand<TFloat32> visible = tf.expandDims(textVisible, tf.constant(-1));
            Operand<TFloat32> tBar = tf.math.add(tf.math.mul(tPrime, visible),
                    tf.math.mul(text, tf.math.sub(tf.constant(1f), visible)));
            List<Operand<TFloat32>> layerOutputs = decoder.layerOutputs(teacherForcedInput(tf,
                    List.of(tBar, zPrime, decoder.embed(answerIds)), sourceRows, batch, d), positions,
                    tf.onesLike(positions));
            logits = decoder.logits(layerOutputs.get(layerOutputs.size() - 1));

            loss = answerLoss(tf, logits, targets, weights, llm.vocabSize());
            GraphVariables headVars = new GraphVariables(tf, "patch_head_");
            Operand<TFloat32> objective = loss;
            BindingLoss bindingLoss = options.binding();
            if (bindingLoss.layer() > layerOutputs.size()) {
                throw new IllegalArgumentException("binding layer " + bindingLoss.layer() + " of an LLM of "
                        + layerOutputs.size() + " layers");
            }
            if (options.imageWeight() > 0) {
                image = new ImagePath(tf, tower, projector, decoder, imageSize, patches,
                        options.anyResImages() ? AnyResViews.VIEWS : 1, dv, d, llm.vocabSize(),
                        bindingLoss.onImages() ? new ImagePath.Binding(headVars, bindingLoss.layer()) : null);
                objective = tf.math.add(objective, tf.math.mul(tf.constant(options.imageWeight()), image.loss));
                if (image.binding != null) {
                    objective = tf.math.add(objective, tf.math.mul(tf.constant(bindingLoss.imageWeight()),
                            image.binding.loss));
                }
            } else if (bindingLoss.onImages()) {
                throw new IllegalArgumentException("an image binding loss needs the image path");
            } else if (options.anyResImages()) {
                throw new IllegalArgumentException("AnyRes images need the image path");
            } else {
                image = null;
            }
            if (options.auxiliaryClasses() > 0) {
                patchLabels = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, patches)));
                int classes = options.auxiliaryClasses();
                // Each patch's class from its own tower features (unless the tower is frozen), and every patch's
                // class from the frame's Z': the second makes compression keep the layout the LLM has to read (where
                // each object is, frame by frame).
                Operand<TFloat32> layoutLoss = classifierLoss(tf, headVars, "layout",
                        tf.reshape(zPrime, tf.constant(new int[] {-1, c2 * d})), c2 * d, patches, patchLabels, classes);
                patchLoss = options.freezeTower() ? layoutLoss : tf.math.add(layoutLoss, classifierLoss(tf, headVars,
                        "tower", tf.reshape(features, tf.constant(new int[] {-1, dv})), dv, 1, patchLabels, classes));
                objective = tf.math.add(objective, tf.math.mul(tf.constant(options.auxiliaryWeight()), patchLoss));
            } else {
                patchLabels = null;
                patchLoss = null;
            }
            if (bindingLoss.onVideos()) {
                binding = BindingHead.video(tf, headVars, layerOutputs.get(bindingLoss.layer() - 1), d, frames);
                objective = tf.math.add(objective, tf.math.mul(tf.constant(bindingLoss.videoWeight()), binding.loss));
            } else {
                binding = null;
            }
            optimizer = new ScheduledAdam(graph);
            train = clippedStep(tf, optimizer, objective, options.clipNorm(),
                    options.freezeTower() ? List.of(TOWER_PREFIX) : List.of());

            session = new Session(graph, TfSessions.config(options.intraOpThreads(), options.interOpThreads(), true));
            for (Part p : parts) {
                p.vars().load(session, p.view());
            }
            headVars.load(session, null);
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    /** The session's current weights under the bundle's tensor names. */
    InMemoryTensors weights() {
        InMemoryTensors out = new InMemoryTensors();
        for (Part p : parts) {
            readStored(session, p.vars(), p.view(), out);
        }
        return out;
    }

    /** Puts the session's values of {@code vars} into {@code out} under the names {@code view} stores them by. */
    static void readStored(Session session, GraphVariables vars, TensorSource view, InMemoryTensors out) {
        InMemoryTensors values = vars.read(session);
        for (String name : values.names()) {
            out.put(PrefixedTensors.storedName(view, name), values.floats(name), values.info(name).shape());
        }
    }

    /** A training-only head's seeded initial weights: small, so that it starts near uniform, and repeatable. */
    static float[] smallSeeded(long seed, int n) {
        Random random = new Random(seed);
        float[] init = new float[n];
        for (int i = 0; i < n; i++) {
            init[i] = (float) (random.nextGaussian() * 0.02);
        }
        return init;
    }

    void close() {
        session.close();
        graph.close();
    }

    /**
     * The LLM's input sequences, {@code [B, sequenceLength, width]}, gathered by {@code sourceRows} from the per-sample
     * rows of {@code parts} concatenated ({@code [B, rows, width]} each), as {@link TrainingBatch} lays them out.
     */
    static Operand<TFloat32> teacherForcedInput(Ops tf, List<Operand<TFloat32>> parts,
            Operand<TInt32> sourceRows, Operand<TInt32> batch, int width) {
        Operand<TFloat32> sources = tf.reshape(tf.concat(parts, tf.constant(1)), tf.constant(new int[] {-1, width}));
        return tf.reshape(tf.gather(sources, sourceRows, tf.constant(0)),
                tf.concat(List.of(batch, tf.constant(new int[] {-1, width})), tf.constant(0)));
    }

    /**
     * Mean cross-entropy of the weighted (answer) positions of {@code logits [batch, len, vocab]}.
     *
     * <p>The log-softmax runs over a {@code [batch·len, vocab]} view: TensorFlow's C++ gradient of LogSoftmax, the
     * one graph-mode TF Java uses, sums the incoming gradient over axis 1 rather than the last axis, so over a rank-3
     * input it takes the positions for the classes. Every wrong token then got no gradient at all unless it was
     * a target elsewhere in the same sample (only the right answer's logit was ever pushed up, never a wrong one
     * down) and positions without a target got gradient from the sample's other targets.
     */
    static Operand<TFloat32> answerLoss(Ops tf, Operand<TFloat32> logits, Operand<TInt32> targets,
            Operand<TFloat32> weights, int vocab) {
        Operand<TFloat32> rows = tf.reshape(logits, tf.constant(new int[] {-1, vocab}));
        Operand<TFloat32> picked = tf.reshape(tf.sum(tf.math.mul(tf.nn.logSoftmax(rows),
                tf.oneHot(tf.reshape(targets, tf.constant(new int[] {-1})), tf.constant(vocab), tf.constant(1f),
                        tf.constant(0f))), tf.constant(-1)), tf.shape(targets));
        Operand<TInt32> axes = tf.constant(new int[] {0, 1});
        return tf.math.neg(tf.math.div(tf.sum(tf.math.mul(picked, weights), axes), tf.sum(weights, axes)));
    }

    /**
     * Mean cross-entropy of a linear classifier from each row of {@code inputs} ({@code [rows, width]}) to
     * {@code perRow} consecutive labels of {@code classes}; the head starts small and seeded so that runs repeat.
     */
    private static Operand<TFloat32> classifierLoss(Ops tf, GraphVariables head, String name, Operand<TFloat32> inputs,
            int width, int perRow, Operand<TInt32> labels, int classes) {
        float[] init = smallSeeded(PATCH_HEAD_SEED ^ name.hashCode(), width * perRow * classes);
        Operand<TFloat32> w = head.add(name + ".weight", init, width, (long) perRow * classes);
        Operand<TFloat32> b = head.add(name + ".bias", new float[perRow * classes], (long) perRow * classes);
        Operand<TFloat32> scores = tf.reshape(tf.math.add(tf.linalg.matMul(inputs, w), b),
                tf.constant(new int[] {-1, classes}));
        Operand<TFloat32> picked = tf.sum(tf.math.mul(tf.nn.logSoftmax(scores),
                tf.oneHot(tf.reshape(labels, tf.constant(new int[] {-1})), tf.constant(classes), tf.constant(1f),
                        tf.constant(0f))), tf.constant(-1));
        return tf.math.neg(tf.math.mean(picked, tf.constant(0)));
    }

    /**
     * An optimizer step on gradients scaled down to a global norm of at most {@code clipNorm}: without it, a
     * rare large gradient late in a long run throws the weights off and the loss diverges. Variables whose graph name
     * starts with one of {@code frozenPrefixes} keep their values.
     */
    @SuppressWarnings("unchecked")
    static Op clippedStep(Ops tf, Optimizer optimizer, Operand<TFloat32> loss, float clipNorm,
            List<String> frozenPrefixes) {
        List<Optimizer.GradAndVar<?>> grads = optimizer.computeGradients(loss).stream()
                .filter(gv -> frozenPrefixes.stream().noneMatch(gv.getVariable().op().name()::startsWith))
                .toList();
        List<Operand<TFloat32>> squares = new ArrayList<>();
        for (Optimizer.GradAndVar<?> gv : grads) {
            Operand<TFloat32> g = (Operand<TFloat32>) gv.getGradient();
            squares.add(tf.sum(tf.math.square(g), tf.range(tf.constant(0), tf.rank(g), tf.constant(1))));
        }
        Operand<TFloat32> norm = tf.math.sqrt(tf.math.addN(squares));
        Operand<TFloat32> limit = tf.constant(clipNorm);
        Operand<TFloat32> scale = tf.math.div(limit, tf.math.maximum(norm, limit));
        List<Optimizer.GradAndVar<? extends TType>> clipped = new ArrayList<>();
        for (Optimizer.GradAndVar<?> gv : grads) {
            Operand<TFloat32> g = (Operand<TFloat32>) gv.getGradient();
            clipped.add(new Optimizer.GradAndVar<>(tf.math.mul(g, scale).asOutput(),
                    (Output<TFloat32>) gv.getVariable()));
        }
        return optimizer.applyGradients(clipped, "clipped-adam");
    }
}

package io.streamvl.models.train;

import io.streamvl.models.GraphVariables;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.TfSessions;
import io.streamvl.models.bundle.Architecture;
import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.vision.ClipVisionConfig;
import io.streamvl.models.vision.ClipVisionConfigs;
import io.streamvl.models.vision.ClipVisionLayers;
import io.streamvl.models.vision.ClipVisionWeights;
import io.streamvl.models.weights.InMemoryTensors;
import io.streamvl.models.weights.TensorSource;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Trains a {@code llava-mini} bundle's vision tower alone, up to its selected layer, to classify every patch through a
 * linear head (training-only, not exported), before the whole model is trained. A tower trained from scratch only
 * through the LLM learns what is easiest to read (colour) and not what takes several patches to see (shape); a
 * direct per-patch target, with the few object patches weighted above the many background ones, makes it learn both,
 * and a tower-only step costs a small fraction of a whole-model one. Deterministic for the same bundle, options and
 * batches. Not thread-safe.
 */
public final class TowerPretrainer implements AutoCloseable {
    /** A patch label the loss skips. */
    public static final int IGNORED = -1;
    private static final long HEAD_SEED = 0x70e5;

    private final ModelBundle bundle;
    private final TensorSource towerView;
    private final int classes;
    private final float backgroundWeight;
    private final LearningRateSchedule schedule;
    private final int imageSize;
    private final int patches;
    private final Graph graph;
    private final Session session;
    private final GraphVariables towerVars;
    private final Placeholder<TFloat32> images;
    private final Placeholder<TInt32> labels;
    private final Placeholder<TFloat32> weights;
    private final Operand<TFloat32> loss;
    private final Operand<TInt32> predicted;
    private final ScheduledAdam optimizer;
    private final Op train;
    private long steps;

    /**
     * @param classes patch classes; class 0 is background
     * @param backgroundWeight the loss weight of a background patch next to 1 for every other labelled patch
     * @throws ModelFormatException for a bundle of another architecture
     */
    public static TowerPretrainer open(Path dir, int classes, float backgroundWeight, LearningRateSchedule schedule,
            int intraOpThreads, int interOpThreads) {
        if (classes < 2 || !(backgroundWeight >= 0) || schedule == null) {
            throw new IllegalArgumentException("invalid tower pre-training: classes=" + classes + " background weight="
                    + backgroundWeight + " schedule=" + schedule);
        }
        ModelBundle bundle = ModelBundle.open(dir);
        try {
            if (bundle.architecture() != Architecture.LLAVA_MINI) {
                throw new ModelFormatException(dir + " holds a " + bundle.architecture().id() + " model; tower "
                        + "pre-training needs " + Architecture.LLAVA_MINI.id());
            }
            return new TowerPretrainer(bundle, classes, backgroundWeight, schedule, intraOpThreads, interOpThreads);
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    private TowerPretrainer(ModelBundle bundle, int classes, float backgroundWeight, LearningRateSchedule schedule,
            int intraOpThreads, int interOpThreads) {
        this.bundle = bundle;
        this.classes = classes;
        this.backgroundWeight = backgroundWeight;
        this.schedule = schedule;
        ClipVisionConfig vision = ClipVisionConfigs.fromHf(bundle.hfConfig());
        int towerLayers = vision.layersFor(ClipVisionConfigs.selectLayer(bundle.hfConfig()));
        towerView = ClipVisionWeights.tower(bundle.weights());
        ClipVisionWeights.check(vision, towerLayers, towerView);
        imageSize = vision.imageSize();
        patches = vision.numPatches();
        int dv = vision.hiddenSize();
        graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            towerVars = new GraphVariables(tf, "tower_");
            GraphVariables headVars = new GraphVariables(tf, "tower_head_");
            ClipVisionLayers tower = new ClipVisionLayers(tf.withSubScope("tower_ops"), vision, towerLayers, towerVars);
            images = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, imageSize, imageSize, 3)));
            labels = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            weights = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
            Operand<TFloat32> features = tf.reshape(tower.features(images), tf.constant(new int[] {-1, dv}));
            Operand<TFloat32> scores = tf.math.add(tf.linalg.matMul(features,
                    headVars.add("weight", TrainingGraph.smallSeeded(HEAD_SEED, dv * classes), dv, classes)),
                    headVars.add("bias", new float[classes], classes));
            Operand<TFloat32> picked = tf.sum(tf.math.mul(tf.nn.logSoftmax(scores),
                    tf.oneHot(labels, tf.constant(classes), tf.constant(1f), tf.constant(0f))), tf.constant(-1));
            loss = tf.math.neg(tf.math.div(tf.sum(tf.math.mul(picked, weights), tf.constant(0)),
                    tf.math.maximum(tf.sum(weights, tf.constant(0)), tf.constant(1e-6f))));
            predicted = tf.math.argMax(scores, tf.constant(-1), TInt32.class);
            optimizer = new ScheduledAdam(graph);
            train = TrainingGraph.clippedStep(tf, optimizer, loss, TrainerOptions.DEFAULT_CLIP_NORM, List.of());
            session = new Session(graph, TfSessions.config(intraOpThreads, interOpThreads, true));
            towerVars.load(session, towerView);
            headVars.load(session, null);
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    public int imageSize() {
        return imageSize;
    }

    /** Patches per frame, the length of a frame's labels. */
    public int patchesPerFrame() {
        return patches;
    }

    /**
     * One Adam step; returns the batch's weighted loss before it.
     *
     * @param frames normalised NHWC frames, {@code [n][imageSize][imageSize][3]} row-major
     * @param patchLabels {@code [n][patchesPerFrame()]}: a class, or {@link #IGNORED}
     */
    public float step(float[] frames, int[] patchLabels) {
        long step = ++steps;
        try (Feeds f = new Feeds(frames, patchLabels);
                TFloat32 rate = TFloat32.scalarOf(schedule.rate(step));
                TFloat32 b1 = TFloat32.scalarOf(ScheduledAdam.betaOnePower(step));
                TFloat32 b2 = TFloat32.scalarOf(ScheduledAdam.betaTwoPower(step));
                Result r = f.runner().addTarget(train).fetch(loss).feed(optimizer.learningRate, rate)
                        .feed(optimizer.betaOnePower, b1).feed(optimizer.betaTwoPower, b2).run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    /** The head's class for every patch of the frames, {@code [n][patchesPerFrame()]}. */
    public int[] predict(float[] frames) {
        int n = frameCount(frames);
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(n, imageSize, imageSize, 3), DataBuffers.of(frames, true, false));
                Result r = session.runner().feed(images, x).fetch(predicted).run()) {
            int[] out = new int[n * patches];
            ((TInt32) r.get(0)).asRawTensor().data().asInts().read(out);
            return out;
        }
    }

    /** Writes the bundle training started from with the tower's current weights (see {@link BundleExporter}). */
    public Path export(Path dir, String name) {
        InMemoryTensors trained = new InMemoryTensors();
        TrainingGraph.readStored(session, towerVars, towerView, trained);
        return BundleExporter.export(bundle, trained, dir, name);
    }

    private int frameCount(float[] frames) {
        int frameFloats = imageSize * imageSize * 3;
        if (frames.length == 0 || frames.length % frameFloats != 0) {
            throw new IllegalArgumentException(frames.length + " floats are not whole " + imageSize + "x" + imageSize
                    + "x3 frames");
        }
        return frames.length / frameFloats;
    }

    /** The feeds of one step: frames, labels, and each label's weight (0 ignored, background's, or 1). */
    private final class Feeds implements AutoCloseable {
        private final TFloat32 x;
        private final TInt32 y;
        private final TFloat32 w;

        Feeds(float[] frames, int[] patchLabels) {
            int n = frameCount(frames);
            if (patchLabels.length != n * patches) {
                throw new IllegalArgumentException(n + " frames need " + n * patches + " patch labels, got "
                        + patchLabels.length);
            }
            int[] classOf = new int[patchLabels.length];
            float[] weightOf = new float[patchLabels.length];
            for (int i = 0; i < patchLabels.length; i++) {
                int label = patchLabels[i];
                if (label < IGNORED || label >= classes) {
                    throw new IllegalArgumentException("patch label " + label + " is outside -1.." + (classes - 1));
                }
                classOf[i] = Math.max(label, 0);
                weightOf[i] = label == IGNORED ? 0f : label == 0 ? backgroundWeight : 1f;
            }
            x = TFloat32.tensorOf(Shape.of(n, imageSize, imageSize, 3), DataBuffers.of(frames, true, false));
            y = TInt32.tensorOf(Shape.of(classOf.length), DataBuffers.of(classOf, true, false));
            w = TFloat32.tensorOf(Shape.of(weightOf.length), DataBuffers.of(weightOf, true, false));
        }

        Session.Runner runner() {
            return session.runner().feed(images, x).feed(labels, y).feed(weights, w);
        }

        @Override
        public void close() {
            x.close();
            y.close();
            w.close();
        }
    }

    @Override
    public void close() {
        session.close();
        graph.close();
        bundle.close();
    }
}

package io.streamvl.models.train;

import io.streamvl.models.GraphVariables;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One path's binding loss ({@link BindingLoss}): from the LLM's hidden state at the column that predicts a sample's
 * first answer token (or, in a caption, the token of the clause about the object), RMS-normalised, a linear head
 * regresses where the object is in each frame; the mean squared error over the batch's subjects. A direction answer needs exactly that reading (the named
 * object found among each frame's tokens, frame by frame); the answer tokens teach it only through five words, this
 * loss through every question that names an object.
 */
final class BindingHead {
    private static final long VIDEO_SEED = 0xb1d;
    private static final long IMAGE_SEED = 0xb1e;
    private static final float EPSILON = 1e-6f;

    /** Flat row in {@code [B * sequenceLength]} of the column each of the batch's R subjects is read at, {@code [R]}. */
    final Placeholder<TInt32> answerRows;
    /** Each subject's places ({@link TrainingSample.Subject#places()}), {@code [R, frames * 2]}. */
    final Placeholder<TFloat32> places;
    /** 1 for a subject, 0 for the filler row a batch without subjects is fed, {@code [R]}. */
    final Placeholder<TFloat32> present;
    final Operand<TFloat32> loss;

    /** The video path's head: the place in each of the clip's frames. */
    static BindingHead video(Ops tf, GraphVariables heads, Operand<TFloat32> hidden, int width, int frames) {
        return new BindingHead(tf, heads, "binding", VIDEO_SEED, hidden, width, frames);
    }

    /** The plain image path's head: the place in its one frame. */
    static BindingHead image(Ops tf, GraphVariables heads, Operand<TFloat32> hidden, int width) {
        return new BindingHead(tf, heads, "image_binding", IMAGE_SEED, hidden, width, 1);
    }

    /** @param hidden an LLM layer's output over the batch, {@code [B, sequenceLength, width]} */
    private BindingHead(Ops tf, GraphVariables heads, String name, long seed, Operand<TFloat32> hidden, int width,
            int frames) {
        answerRows = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        places = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, frames * 2L)));
        present = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
        Operand<TFloat32> rows = tf.gather(tf.reshape(hidden, tf.constant(new int[] {-1, width})), answerRows,
                tf.constant(0));
        // The residual stream's scale drifts as the LLM trains; the head should read its direction.
        Operand<TFloat32> normed = tf.math.mul(rows, tf.math.rsqrt(tf.math.add(
                tf.math.mean(tf.math.square(rows), tf.constant(-1), Mean.keepDims(true)), tf.constant(EPSILON))));
        Operand<TFloat32> w = heads.add(name + ".weight", TrainingGraph.smallSeeded(seed, width * frames * 2), width,
                frames * 2L);
        Operand<TFloat32> b = heads.add(name + ".bias", new float[frames * 2], frames * 2L);
        Operand<TFloat32> error = tf.sum(tf.math.square(tf.math.sub(tf.math.add(tf.linalg.matMul(normed, w), b),
                places)), tf.constant(1));
        loss = tf.math.div(tf.sum(tf.math.mul(error, present), tf.constant(0)),
                tf.math.maximum(tf.sum(present, tf.constant(0)), tf.constant(1f)));
    }
}

package io.streamvl.models.vision;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** The PyTorch layers the vision graphs are made of, with PyTorch's exact formulas. */
final class Layers {
    private static final float QUICK_GELU_SCALE = 1.702f;

    private final Ops tf;

    Layers(Ops tf) {
        this.tf = tf;
    }

    /** {@code nn.LayerNorm} over the last axis (biased variance); TF Java has no moments op. */
    Operand<TFloat32> layerNorm(Operand<TFloat32> x, Operand<TFloat32> weight, Operand<TFloat32> bias, double eps) {
        Operand<TFloat32> centred = tf.math.sub(x, tf.math.mean(x, tf.constant(-1), Mean.keepDims(true)));
        Operand<TFloat32> variance = tf.math.mean(tf.math.square(centred), tf.constant(-1), Mean.keepDims(true));
        Operand<TFloat32> normed = tf.math.mul(centred, tf.math.rsqrt(tf.math.add(variance, tf.constant((float) eps))));
        return tf.math.add(tf.math.mul(normed, weight), bias);
    }

    /** {@code nn.Linear} on rows: x · Wᵀ + b with W stored {@code [out, in]}. */
    Operand<TFloat32> linear(Operand<TFloat32> x2d, Operand<TFloat32> weight, Operand<TFloat32> bias) {
        return tf.math.add(tf.linalg.matMul(x2d, weight, MatMul.transposeB(true)), bias);
    }

    /** {@code quick_gelu} (x·σ(1.702x), OpenAI CLIP) or {@code gelu} (exact erf form, PyTorch's default). */
    Operand<TFloat32> activation(Operand<TFloat32> x, String name) {
        if (name.equals(ClipVisionConfig.QUICK_GELU)) {
            return tf.math.mul(x, tf.math.sigmoid(tf.math.mul(x, tf.constant(QUICK_GELU_SCALE))));
        }
        return gelu(x);
    }

    Operand<TFloat32> gelu(Operand<TFloat32> x) {
        Operand<TFloat32> cdf = tf.math.add(tf.constant(1f),
                tf.math.erf(tf.math.mul(x, tf.constant((float) (1 / Math.sqrt(2))))));
        return tf.math.mul(tf.math.mul(x, cdf), tf.constant(0.5f));
    }

    Operand<TFloat32> reshape(Operand<TFloat32> x, List<Operand<TInt32>> dims) {
        return tf.reshape(x, tf.stack(dims));
    }
}

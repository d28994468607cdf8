package io.streamvl.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** The answer loss and its gradient over {@code [batch, len, vocab]} logits, against the closed form. */
class AnswerLossTest {
    private static final float[][][] LOGITS = {
        {{1, 2, 3, 0}, {0.5f, -1, 2, 1}, {3, 0, 0, 1}},
        {{0, 0, 0, 0}, {2, 1, -2, 0.5f}, {1, 1, 4, 0}}};
    private static final int[][] TARGETS = {{0, 3, 0}, {1, 2, 0}};
    private static final float[][] WEIGHTS = {{1, 1, 0}, {0, 1, 1}};

    @Test
    void lossAndGradientAreSoftmaxCrossEntropyOfTheWeightedPositions() {
        float[][][] gradient;
        float loss;
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> logits = tf.placeholder(TFloat32.class);
            Operand<TFloat32> value = TrainingGraph.answerLoss(tf, logits, tf.constant(TARGETS), tf.constant(WEIGHTS), 4);
            Gradients grads = tf.gradients(value, List.of(logits));
            try (TFloat32 in = TFloat32.tensorOf(StdArrays.ndCopyOf(LOGITS));
                    Result r = s.runner().feed(logits, in).fetch(value).fetch(grads.dy(0)).run()) {
                loss = ((TFloat32) r.get(0)).getFloat();
                gradient = StdArrays.array3dCopyOf((TFloat32) r.get(1));
            }
        }
        double total = 0;
        double weightSum = 4;
        for (int b = 0; b < LOGITS.length; b++) {
            for (int t = 0; t < LOGITS[b].length; t++) {
                double[] p = softmax(LOGITS[b][t]);
                total += WEIGHTS[b][t] * -Math.log(p[TARGETS[b][t]]);
                for (int v = 0; v < p.length; v++) {
                    // d loss / d logit = weight * (p - onehot) / sum of weights: every wrong token pushed down
                    double expected = WEIGHTS[b][t] * (p[v] - (v == TARGETS[b][t] ? 1 : 0)) / weightSum;
                    assertThat((double) gradient[b][t][v]).as("b %d t %d v %d", b, t, v).isCloseTo(expected,
                            within(1e-6));
                }
            }
        }
        assertThat((double) loss).isCloseTo(total / weightSum, within(1e-5));
    }

    private static double[] softmax(float[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : x) {
            max = Math.max(max, v);
        }
        double[] p = new double[x.length];
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            p[i] = Math.exp(x[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < x.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}

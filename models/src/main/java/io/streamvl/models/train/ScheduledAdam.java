package io.streamvl.models.train;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * Adam as a TF Java framework optimizer whose step size and bias corrections are fed every step, so a
 * {@link LearningRateSchedule} can drive it: the framework's own {@code Adam} bakes its rate into the graph as a
 * constant. Same update (TF's {@code ApplyAdam}) and defaults otherwise.
 */
final class ScheduledAdam extends Optimizer {
    private static final float BETA_ONE = 0.9f;
    private static final float BETA_TWO = 0.999f;
    private static final float EPSILON = 1e-8f;
    private static final String FIRST_MOMENT = "m";
    private static final String SECOND_MOMENT = "v";

    /** The step's rate, from the schedule. */
    final Placeholder<TFloat32> learningRate;
    /** {@code BETA_ONE^t} and {@code BETA_TWO^t} for step t (from 1), Adam's bias corrections. */
    final Placeholder<TFloat32> betaOnePower;
    final Placeholder<TFloat32> betaTwoPower;

    ScheduledAdam(Graph graph) {
        super(graph, "ScheduledAdam");
        learningRate = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        betaOnePower = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        betaTwoPower = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    }

    static float betaOnePower(long step) {
        return (float) Math.pow(BETA_ONE, step);
    }

    static float betaTwoPower(long step) {
        return (float) Math.pow(BETA_TWO, step);
    }

    @Override
    protected void createSlots(List<Output<? extends TType>> variables) {
        for (Output<? extends TType> v : variables) {
            createMoments(v);
        }
    }

    private <T extends TType> void createMoments(Output<T> variable) {
        Operand<T> zeros = tf.fill(tf.shape(variable), tf.dtypes.cast(tf.constant(0), variable.type()));
        createSlot(variable, FIRST_MOMENT, zeros);
        createSlot(variable, SECOND_MOMENT, zeros);
    }

    @Override
    protected <T extends TType> Op applyDense(Ops ops, Output<T> gradient, Output<T> variable) {
        Variable<T> m = getSlot(variable, FIRST_MOMENT).orElseThrow();
        Variable<T> v = getSlot(variable, SECOND_MOMENT).orElseThrow();
        Class<T> type = variable.type();
        return ops.train.applyAdam(variable, m, v, ops.dtypes.cast(betaOnePower, type),
                ops.dtypes.cast(betaTwoPower, type), ops.dtypes.cast(learningRate, type),
                ops.dtypes.cast(ops.constant(BETA_ONE), type), ops.dtypes.cast(ops.constant(BETA_TWO), type),
                ops.dtypes.cast(ops.constant(EPSILON), type), gradient);
    }

    @Override
    public String getOptimizerName() {
        return "ScheduledAdam";
    }
}

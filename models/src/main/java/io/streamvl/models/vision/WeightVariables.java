package io.streamvl.models.vision;

import io.streamvl.models.weights.TensorSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Graph variables filled once from checkpoint tensors through a placeholder and an assign each, so the
 * graph itself stays small and at most one weight is held twice in memory while loading. A variable may
 * be several tensors concatenated in order (fused q/k/v).
 */
final class WeightVariables {
    private record Init(long[] shape, List<String> parts, Placeholder<TFloat32> value, Op assign) {}

    private final Ops tf;
    private final Map<String, Variable<TFloat32>> vars = new HashMap<>();
    private final List<Init> inits = new ArrayList<>();

    WeightVariables(Ops tf) {
        this.tf = tf;
    }

    Variable<TFloat32> add(String variable, long[] shape, String... parts) {
        Shape s = Shape.of(shape);
        Variable<TFloat32> v = tf.withName(variable).variable(s, TFloat32.class);
        Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(s));
        inits.add(new Init(shape, List.of(parts), p, tf.assign(v, p)));
        vars.put(variable, v);
        return v;
    }

    Variable<TFloat32> get(String variable) {
        Variable<TFloat32> v = vars.get(variable);
        if (v == null) {
            throw new IllegalStateException("no graph variable " + variable);
        }
        return v;
    }

    void load(Session session, TensorSource source) {
        for (Init init : inits) {
            try (TFloat32 t = TFloat32.tensorOf(Shape.of(init.shape()))) {
                FloatDataBuffer buf = t.asRawTensor().data().asFloats();
                long offset = 0;
                for (String part : init.parts()) {
                    float[] values = source.floats(part);
                    buf.offset(offset).write(values);
                    offset += values.length;
                }
                session.runner().feed(init.value(), t).addTarget(init.assign()).run().close();
            }
        }
    }
}

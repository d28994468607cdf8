package io.streamvl.models.llavamini;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Graph variables filled once after the session starts, each through a placeholder and an assign, so
 * the graph stays small and at most one weight is held twice in memory while loading.
 */
final class GraphWeights {
    private record Init(Shape shape, float[] values, Placeholder<TFloat32> feed, Op assign) {}

    private final Ops tf;
    private final List<Init> inits = new ArrayList<>();

    GraphWeights(Ops tf) {
        this.tf = tf;
    }

    /** {@code values} are read now and dropped after {@link #load}. */
    Variable<TFloat32> add(String name, float[] values, long... shape) {
        Shape s = Shape.of(shape);
        Variable<TFloat32> v = tf.withName(name).variable(s, TFloat32.class);
        Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(s));
        inits.add(new Init(s, values, p, tf.assign(v, p)));
        return v;
    }

    void load(Session session) {
        for (Init init : inits) {
            try (TFloat32 t = TFloat32.tensorOf(init.shape())) {
                t.asRawTensor().data().asFloats().write(init.values());
                session.runner().feed(init.feed(), t).addTarget(init.assign()).run().close();
            }
        }
        inits.clear();
    }
}

package io.streamvl.models;

import io.streamvl.models.weights.InMemoryTensors;
import io.streamvl.models.weights.TensorSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Weights as graph variables, filled once after the session opens by feeding each through a
 * placeholder: the GraphDef stays small (real checkpoints are far over protobuf's 2 GB limit for
 * constants), and at most one weight is held twice in memory while loading. A variable's values
 * come from a checkpoint's tensors — several concatenated in order for fused projections (q/k/v) —
 * or are given directly (derived tables). Variables read from named tensors can be read back under those
 * names ({@link #read}), which is how trained weights become a checkpoint again.
 */
public final class GraphVariables {
    private record Init(String variable, Shape shape, List<String> names, List<Function<TensorSource, float[]>> parts,
            Placeholder<TFloat32> feed, Op assign) {}

    /** A variable loaded from the named tensors, with their shapes as the source had them. */
    private record Named(Variable<TFloat32> variable, List<String> names, List<long[]> shapes) {}

    private final Ops tf;
    private final String namePrefix;
    private final Map<String, Variable<TFloat32>> vars = new HashMap<>();
    private final List<Init> inits = new ArrayList<>();
    private final List<Named> named = new ArrayList<>();

    public GraphVariables(Ops tf) {
        this(tf, "");
    }

    /**
     * @param namePrefix put in front of every variable's graph name (not of the names {@link #get} takes), so
     *     several sets can share a graph; a plain name prefix rather than a sub-scope, because optimizers name
     *     their slots after the variable and reject a {@code /} in it
     */
    public GraphVariables(Ops tf, String namePrefix) {
        this.tf = tf;
        this.namePrefix = namePrefix;
    }

    /** A variable filled from the source's tensors {@code parts}, concatenated, at {@link #load}. */
    public Variable<TFloat32> add(String variable, long[] shape, String... parts) {
        List<Function<TensorSource, float[]>> reads = new ArrayList<>();
        for (String part : parts) {
            reads.add(source -> source.floats(part));
        }
        return add(variable, Shape.of(shape), List.of(parts), reads);
    }

    /** A variable filled with {@code values} at {@link #load}; the array is dropped afterwards. */
    public Variable<TFloat32> add(String variable, float[] values, long... shape) {
        return add(variable, Shape.of(shape), List.of(), List.of(source -> values));
    }

    private Variable<TFloat32> add(String variable, Shape shape, List<String> names,
            List<Function<TensorSource, float[]>> parts) {
        Variable<TFloat32> v = tf.withName(namePrefix + variable).variable(shape, TFloat32.class);
        Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
        inits.add(new Init(variable, shape, names, parts, p, tf.assign(v, p)));
        vars.put(variable, v);
        return v;
    }

    public Variable<TFloat32> get(String variable) {
        Variable<TFloat32> v = vars.get(variable);
        if (v == null) {
            throw new IllegalStateException("no graph variable " + variable);
        }
        return v;
    }

    /** Runs every assignment once; {@code source} may be null when all values were given directly. */
    public void load(Session session, TensorSource source) {
        for (Init init : inits) {
            try (TFloat32 t = TFloat32.tensorOf(init.shape())) {
                FloatDataBuffer buf = t.asRawTensor().data().asFloats();
                long offset = 0;
                for (Function<TensorSource, float[]> part : init.parts()) {
                    float[] values = part.apply(source);
                    buf.offset(offset).write(values);
                    offset += values.length;
                }
                session.runner().feed(init.feed(), t).addTarget(init.assign()).run().close();
            }
            if (!init.names().isEmpty()) {
                named.add(new Named(vars.get(init.variable()), init.names(),
                        init.names().stream().map(name -> source.info(name).shape()).toList()));
            }
        }
        inits.clear();
    }

    /**
     * The session's current values of every variable loaded from named tensors, split back into those
     * tensors (parts were concatenated along rows, so each is a contiguous run of the variable's values).
     */
    public InMemoryTensors read(Session session) {
        InMemoryTensors out = new InMemoryTensors();
        for (Named n : named) {
            try (Result r = session.runner().fetch(n.variable()).run()) {
                FloatDataBuffer values = ((TFloat32) r.get(0)).asRawTensor().data().asFloats();
                long offset = 0;
                for (int i = 0; i < n.names().size(); i++) {
                    long[] shape = n.shapes().get(i);
                    float[] part = new float[Math.toIntExact(Shape.of(shape).size())];
                    values.offset(offset).read(part);
                    offset += part.length;
                    out.put(n.names().get(i), part, shape);
                }
            }
        }
        return out;
    }
}

package io.streamvl.models.vision;

import io.streamvl.models.GraphVariables;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The {@code mlp2x_gelu} projector's math, built into any graph: Linear(in→D) with bias, exact (erf) GELU
 * as PyTorch's {@code nn.GELU()}, Linear(D→D) with bias.
 */
public final class ProjectorLayers {
    private final Layers nn;
    private final GraphVariables vars;

    /** Declares the weights in {@code vars}, to be loaded from the unprefixed {@link ProjectorWeights} names. */
    public ProjectorLayers(Ops tf, GraphVariables vars, int in, int out) {
        this.nn = new Layers(tf);
        this.vars = vars;
        vars.add("w1", new long[] {out, in}, ProjectorWeights.LINEAR_1 + "weight");
        vars.add("b1", new long[] {out}, ProjectorWeights.LINEAR_1 + "bias");
        vars.add("w2", new long[] {out, out}, ProjectorWeights.LINEAR_2 + "weight");
        vars.add("b2", new long[] {out}, ProjectorWeights.LINEAR_2 + "bias");
    }

    /** @param rows {@code [rows, in]} */
    public Operand<TFloat32> project(Operand<TFloat32> rows) {
        return nn.linear(nn.gelu(nn.linear(rows, vars.get("w1"), vars.get("b1"))), vars.get("w2"), vars.get("b2"));
    }
}

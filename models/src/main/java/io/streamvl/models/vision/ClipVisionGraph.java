package io.streamvl.models.vision;

import io.streamvl.models.GraphVariables;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** The tower's own TF graph: {@link ClipVisionLayers} over a batch of NHWC images of any size N. */
final class ClipVisionGraph {
    final Graph graph;
    final GraphVariables weights;
    final Placeholder<TFloat32> images;
    /** {@code [N, patches, hidden]}: the selected hidden state with the class token dropped. */
    final Operand<TFloat32> features;

    ClipVisionGraph(ClipVisionConfig config, int layers, VisionOptions options) {
        this.graph = new Graph();
        Ops tf = options.scope(Ops.create(graph));
        this.weights = new GraphVariables(tf);
        ClipVisionLayers tower = new ClipVisionLayers(tf, config, layers, weights);
        int s = config.imageSize();
        images = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, s, s, ClipVisionConfig.CHANNELS)));
        features = tower.features(images);
    }
}

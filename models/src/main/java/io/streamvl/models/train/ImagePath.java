package io.streamvl.models.train;

import io.streamvl.models.GraphVariables;
import io.streamvl.models.llama.DecoderGraph;
import io.streamvl.models.vision.ClipVisionLayers;
import io.streamvl.models.vision.ProjectorLayers;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The plain image path of the training graph, on the same variables as the video path: one frame's projected patch
 * tokens straight into the LLM at the image placeholder ({@code text[:p] ++ projector(G) ++ text[p+1:] ++ answer}),
 * LLaVA-1.5's layout, which TS-LLaVA runs training-free; or with AnyRes ({@link AnyResViews}), the tokens of every
 * view of the frame one after another, as LLaVA-NeXT. The compressor and pre-fusion take no part.
 */
final class ImagePath {
    final Placeholder<TFloat32> images;
    final Placeholder<TInt32> textIds;
    final Placeholder<TInt32> answerIds;
    final Placeholder<TInt32> sourceRows;
    final Placeholder<TInt32> positions;
    final Placeholder<TInt32> targets;
    final Placeholder<TFloat32> weights;
    final Operand<TFloat32> loss;
    /** Null without the image path's binding loss. */
    final BindingHead binding;
    /** Visual tokens per sample: the views times the patches. */
    final int visualTokens;
    /** Images per sample: 1, or {@link AnyResViews#VIEWS}. */
    final int views;

    /** The image path's binding head: its variables' home and the LLM layers it reads after. */
    record Binding(GraphVariables heads, int layer) {}

    ImagePath(Ops tf, ClipVisionLayers tower, ProjectorLayers projector, DecoderGraph decoder, int imageSize,
            int patches, int views, int visionWidth, int width, int vocab, Binding withBinding) {
        this.views = views;
        this.visualTokens = views * patches;
        images = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, imageSize, imageSize, 3)));
        textIds = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
        answerIds = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
        sourceRows = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        positions = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
        targets = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
        weights = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1)));

        Operand<TFloat32> g = tf.reshape(projector.project(tf.reshape(tower.features(images),
                tf.constant(new int[] {-1, visionWidth}))), tf.constant(new int[] {-1, visualTokens, width}));
        Operand<TInt32> batch = tf.slice(tf.shape(textIds), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
        List<Operand<TFloat32>> layers = decoder.layerOutputs(TrainingGraph.teacherForcedInput(tf,
                List.of(decoder.embed(textIds), g, decoder.embed(answerIds)), sourceRows, batch, width), positions,
                tf.onesLike(positions));
        loss = TrainingGraph.answerLoss(tf, decoder.logits(layers.get(layers.size() - 1)), targets, weights, vocab);
        binding = withBinding == null ? null
                : BindingHead.image(tf, withBinding.heads(), layers.get(withBinding.layer() - 1), width);
    }
}

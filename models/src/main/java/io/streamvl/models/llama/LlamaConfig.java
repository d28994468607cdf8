package io.streamvl.models.llama;

import java.util.List;

/**
 * The hyper-parameters of a LLaMA-family decoder, as in HF {@code LlamaConfig}.
 *
 * @param headDim per-head width; HF defaults it to {@code hiddenSize / numHeads}
 * @param ropeScaling null when the checkpoint uses plain rotary embeddings
 * @param eosTokenIds HF allows one id or a list
 */
public record LlamaConfig(int vocabSize, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
        int numKvHeads, int headDim, double rmsNormEps, double ropeTheta, RopeScaling ropeScaling,
        boolean tieWordEmbeddings, int maxPositionEmbeddings, int bosTokenId, List<Integer> eosTokenIds) {}

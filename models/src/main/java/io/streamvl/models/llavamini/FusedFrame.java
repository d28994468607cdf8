package io.streamvl.models.llavamini;

/**
 * Pre-fusion's output for one frame and one prompt: Z' ({@code [C²][D]}, the compressed tokens' last
 * hidden states, prompt-independent) and T' ({@code [L][D]}, the text's last hidden states, hidden
 * columns restored to their input embeddings). No final norm: they feed the LLM as input embeddings.
 */
public record FusedFrame(float[][] compressed, float[][] text) {}

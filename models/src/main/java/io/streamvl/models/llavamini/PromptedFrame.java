package io.streamvl.models.llavamini;

/**
 * A frame encoded together with one prompt known in advance (a stream's caption prompt): the frame's
 * {@link EncodedFrame} and the prompt's fused text T' with it ({@code [L][D]}), what
 * {@link IncrementalCaption.State#plus} adds without another pre-fusion run.
 */
public record PromptedFrame(EncodedFrame frame, float[][] text) {}

package io.streamvl.ingest;

/** How a frame is brought to the model's input size. */
public enum ResizeMode {
    /** Whole frame to W x H ignoring aspect ratio, bicubic (TS-LLaVA / CLIP-style preprocessing). */
    SQUASH,
    /** Nearest-neighbour to W x H (LLaVA-Mini video preprocessing). */
    NEAREST
}

package io.streamvl.models.llama;

public enum FinishReason {
    /** The model produced one of the stop token ids (not included in the output). */
    STOP_TOKEN,
    /** The {@link StopCondition} accepted the output (the completing token is included). */
    STOP_CONDITION,
    MAX_TOKENS,
    /** The cache or {@code max_position_embeddings} has no slot left for the next token. */
    CONTEXT_FULL
}

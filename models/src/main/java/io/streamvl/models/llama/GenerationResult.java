package io.streamvl.models.llama;

/**
 * One sequence's output.
 *
 * @param prefillNanos the batch's prefill (shared by the sequences decoded together)
 * @param decodeNanos from the end of prefill to this sequence's last token
 */
public record GenerationResult(int[] tokenIds, FinishReason finishReason, int promptTokens, long prefillNanos,
        long decodeNanos) {}

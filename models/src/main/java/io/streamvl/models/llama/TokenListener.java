package io.streamvl.models.llama;

/** Receives each generated token as soon as it is chosen; stop tokens are not reported. */
@FunctionalInterface
public interface TokenListener {
    void onToken(int sequenceIndex, int tokenId);

    TokenListener NONE = (sequenceIndex, tokenId) -> {};
}

package io.streamvl.models.llama;

/** A generation prompt: token ids, or input embeddings {@code [len][hidden]} (e.g. text fused with vision tokens). */
public record Prompt(int[] ids, float[][] embeddings) {
    public Prompt {
        if ((ids == null) == (embeddings == null)) {
            throw new IllegalArgumentException("a prompt has either ids or embeddings");
        }
    }

    public static Prompt ofIds(int... ids) {
        return new Prompt(ids, null);
    }

    public static Prompt ofEmbeddings(float[][] embeddings) {
        return new Prompt(null, embeddings);
    }

    public int length() {
        return ids != null ? ids.length : embeddings.length;
    }
}

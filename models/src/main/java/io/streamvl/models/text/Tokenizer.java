package io.streamvl.models.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.streamvl.models.ModelFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A Hugging Face {@code tokenizer.json} (run by DJL's bindings to the Rust tokenizers library) plus
 * what the optional {@code tokenizer_config.json} next to it says about BOS, EOS and the chat template.
 *
 * <p>{@link #encode} returns exactly the tokenizer's ids: padding and truncation are switched off,
 * whatever the file configures, because prompts are spliced with image tokens afterwards and a silently
 * shortened prompt would be a wrong answer rather than an error.
 *
 * <p>Thread safety: after construction the native tokenizer is only read, so {@link #encode},
 * {@link #decode} and the lookups may be called from several threads at once. {@link #close} must not
 * race with them.
 */
public final class Tokenizer implements AutoCloseable {

    static {
        // DJL's tokenizer factories call home (EC2 metadata, then telemetry) unless one of these is set.
        // Setting both here, before this class first touches DJL, covers every entry point and runs
        // that do not pass the -D flags.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
    }

    private final HuggingFaceTokenizer tokenizer;
    private final TokenizerFiles files;

    private Tokenizer(HuggingFaceTokenizer tokenizer, TokenizerFiles files) {
        this.tokenizer = tokenizer;
        this.files = files;
    }

    /** Loads {@code tokenizer.json} and, when present next to it, {@code tokenizer_config.json}. */
    public static Tokenizer load(Path tokenizerJson) {
        return load(tokenizerJson, tokenizerJson.resolveSibling("tokenizer_config.json"));
    }

    /** @param tokenizerConfig may be null or a missing file */
    public static Tokenizer load(Path tokenizerJson, Path tokenizerConfig) {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new ModelFormatException("tokenizer file not found: " + tokenizerJson);
        }
        TokenizerFiles files = TokenizerFiles.read(tokenizerJson, tokenizerConfig);
        // Loading from a stream keeps DJL from also reading tokenizer_config.json on its own, where
        // model_max_length would turn truncation back on.
        Map<String, String> options = Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false");
        try (InputStream in = Files.newInputStream(tokenizerJson)) {
            return new Tokenizer(HuggingFaceTokenizer.newInstance(in, options), files);
        } catch (IOException | RuntimeException e) {
            throw new ModelFormatException("cannot load tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
        }
    }

    /** @param addSpecialTokens whether the tokenizer's post-processor runs (for Llama and LLaVA: adds BOS) */
    public int[] encode(String text, boolean addSpecialTokens) {
        return toInts(tokenizer.encode(text, addSpecialTokens, false).getIds());
    }

    /** The ids must be real vocabulary ids: image markers ({@link PromptTokens#IMAGE_MARKER}) are not. */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            longs[i] = ids[i];
        }
        return tokenizer.decode(longs, skipSpecialTokens);
    }

    /**
     * The id of one vocabulary entry or added token, spelled as the vocabulary stores it (byte-level BPE
     * entries use {@code Ġ} for a leading space), like HF's {@code convert_tokens_to_ids}.
     *
     * @throws IllegalArgumentException when the tokenizer has no such token
     */
    public int tokenId(String token) {
        Integer id = files.ids().get(token);
        if (id == null) {
            throw new IllegalArgumentException("tokenizer has no token " + token);
        }
        return id;
    }

    public OptionalInt findTokenId(String token) {
        Integer id = files.ids().get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** One past the largest id, added tokens included (HF's {@code len(tokenizer)}). */
    public int vocabSize() {
        return files.vocabSize();
    }

    /** From {@code tokenizer_config.json}, else the token the post-processor puts first. */
    public OptionalInt bosId() {
        return files.bosToken().map(this::findTokenId).orElse(OptionalInt.empty());
    }

    /** From {@code tokenizer_config.json} only: {@code tokenizer.json} does not record an EOS. */
    public OptionalInt eosId() {
        return files.eosToken().map(this::findTokenId).orElse(OptionalInt.empty());
    }

    /** The Jinja chat template, verbatim; this class never runs it. */
    public Optional<String> chatTemplate() {
        return files.chatTemplate();
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    private static int[] toInts(long[] ids) {
        int[] ints = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            ints[i] = Math.toIntExact(ids[i]);
        }
        return ints;
    }
}

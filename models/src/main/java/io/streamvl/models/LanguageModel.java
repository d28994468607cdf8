package io.streamvl.models;

import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.llama.DecoderOptions;
import io.streamvl.models.llama.FinishReason;
import io.streamvl.models.llama.GenerationConfig;
import io.streamvl.models.llama.LlamaModel;
import io.streamvl.models.llama.Prompt;
import io.streamvl.models.text.PromptTemplate;
import io.streamvl.models.text.PromptTokens;
import io.streamvl.models.text.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A bundle's language model ready to answer text questions: its {@link BundleDecoder} (tokenizer,
 * template, decoder, stop handling) over the bundle it owns. The vision models use the same decoder
 * with their embeddings spliced in.
 */
public final class LanguageModel implements AutoCloseable {
    /** Receives an answer's text as it is generated, in pieces that never split a character. */
    @FunctionalInterface
    public interface TextListener {
        void onText(int sequenceIndex, String text);
    }

    public record Answer(String text, int[] tokenIds, FinishReason finishReason, int promptTokens,
            long prefillNanos, long decodeNanos) {}

    private final ModelBundle bundle;
    private final BundleDecoder language;

    private LanguageModel(ModelBundle bundle, BundleDecoder language) {
        this.bundle = bundle;
        this.language = language;
    }

    /** Opens the bundle in {@code dir}: checks its weights, loads them into the decoder, loads its tokenizer. */
    public static LanguageModel open(Path dir, DecoderOptions options) {
        ModelBundle bundle = ModelBundle.open(dir);
        try {
            return new LanguageModel(bundle, BundleDecoder.open(bundle, options));
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    public ModelBundle bundle() {
        return bundle;
    }

    public Tokenizer tokenizer() {
        return language.tokenizer();
    }

    public PromptTemplate template() {
        return language.template();
    }

    public LlamaModel decoder() {
        return language.decoder();
    }

    /**
     * Answers text-only questions, decoded together in batches of the decoder's {@code maxBatch}.
     * The config's own stop tokens and condition are joined by the bundle's.
     *
     * @throws ModelFormatException when the template needs visual input (an image placeholder)
     */
    public List<Answer> answer(List<String> questions, GenerationConfig config, TextListener listener) {
        List<Prompt> prompts = new ArrayList<>();
        for (String q : questions) {
            PromptTokens tokens = template().tokenize(tokenizer(), q);
            if (tokens.imagePositions().length > 0) {
                throw new ModelFormatException("prompt template '" + template().name() + "' of "
                        + bundle.dir() + " expects visual input; a text-only question cannot fill it");
            }
            prompts.add(Prompt.ofIds(tokens.ids()));
        }
        return language.generate(prompts, config, listener);
    }

    @Override
    public void close() {
        try {
            language.close();
        } finally {
            bundle.close();
        }
    }
}

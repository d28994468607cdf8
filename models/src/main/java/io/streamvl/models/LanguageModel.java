package io.streamvl.models;

import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.llama.DecoderOptions;
import io.streamvl.models.llama.GenerationConfig;
import io.streamvl.models.llama.GenerationResult;
import io.streamvl.models.llama.Generator;
import io.streamvl.models.llama.LlamaModel;
import io.streamvl.models.llama.Prompt;
import io.streamvl.models.text.PromptTemplate;
import io.streamvl.models.text.PromptTokens;
import io.streamvl.models.text.StopStrings;
import io.streamvl.models.text.TokenStreamer;
import io.streamvl.models.text.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A bundle's language model ready to answer: tokenizer, prompt template, decoder and generator
 * wired together the way the bundle's manifest says (template, stop tokens, stop strings). Text in,
 * text out; the vision models splice their embeddings into the same decoder.
 */
public final class LanguageModel implements AutoCloseable {
    /** Receives an answer's text as it is generated, in pieces that never split a character. */
    @FunctionalInterface
    public interface TextListener {
        void onText(int sequenceIndex, String text);
    }

    public record Answer(String text, int[] tokenIds, io.streamvl.models.llama.FinishReason finishReason,
            int promptTokens, long prefillNanos, long decodeNanos) {}

    private final ModelBundle bundle;
    private final Tokenizer tokenizer;
    private final PromptTemplate template;
    private final LlamaModel decoder;
    private final Generator generator;
    private final Set<Integer> stopTokenIds;
    private final StopStrings stopStrings;

    private LanguageModel(ModelBundle bundle, Tokenizer tokenizer, PromptTemplate template, LlamaModel decoder) {
        this.bundle = bundle;
        this.tokenizer = tokenizer;
        this.template = template;
        this.decoder = decoder;
        this.generator = new Generator(decoder);
        this.stopTokenIds = Set.copyOf(bundle.manifest().stopTokenIds());
        List<String> stops = new ArrayList<>(template.stopStrings());
        stops.addAll(bundle.manifest().stopStrings());
        this.stopStrings = StopStrings.of(stops);
    }

    /** Opens the bundle in {@code dir}: checks its weights, loads them into the decoder, loads its tokenizer. */
    public static LanguageModel open(Path dir, DecoderOptions options) {
        ModelBundle bundle = ModelBundle.open(dir);
        Tokenizer tokenizer = null;
        try {
            tokenizer = Tokenizer.load(bundle.tokenizerJson());
            PromptTemplate template = PromptTemplate.forName(bundle.manifest().promptTemplate());
            LlamaModel decoder = LlamaModel.load(bundle.llamaConfig(), bundle.languageModelWeights(), options);
            return new LanguageModel(bundle, tokenizer, template, decoder);
        } catch (RuntimeException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            bundle.close();
            throw e;
        }
    }

    public ModelBundle bundle() {
        return bundle;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public PromptTemplate template() {
        return template;
    }

    public LlamaModel decoder() {
        return decoder;
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
            PromptTokens tokens = template.tokenize(tokenizer, q);
            if (tokens.imagePositions().length > 0) {
                throw new ModelFormatException("prompt template '" + template.name() + "' of "
                        + bundle.dir() + " expects visual input; a text-only question cannot fill it");
            }
            prompts.add(Prompt.ofIds(tokens.ids()));
        }
        List<TokenStreamer> streamers = new ArrayList<>();
        for (int i = 0; i < questions.size(); i++) {
            streamers.add(new TokenStreamer(tokenizer, true, stopStrings));
        }
        Set<Integer> stopIds = new HashSet<>(config.stopTokenIds());
        stopIds.addAll(stopTokenIds);
        var user = config.stopCondition();
        GenerationConfig effective = config.withStopTokens(stopIds).withStopCondition(
                ids -> stopStrings.matches(tokenizer, ids) || (user != null && user.shouldStop(ids)));
        List<GenerationResult> results = generator.generate(prompts, effective, (seq, id) -> {
            String piece = streamers.get(seq).push(id);
            if (listener != null && !piece.isEmpty()) {
                listener.onText(seq, piece);
            }
        });
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            GenerationResult r = results.get(i);
            TokenStreamer s = streamers.get(i);
            String rest = s.finish();
            if (listener != null && !rest.isEmpty()) {
                listener.onText(i, rest);
            }
            answers.add(new Answer(s.text(), r.tokenIds(), r.finishReason(), r.promptTokens(), r.prefillNanos(),
                    r.decodeNanos()));
        }
        return answers;
    }

    @Override
    public void close() {
        try {
            decoder.close();
        } finally {
            try {
                tokenizer.close();
            } finally {
                bundle.close();
            }
        }
    }
}

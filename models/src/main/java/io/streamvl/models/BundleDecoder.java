package io.streamvl.models;

import io.streamvl.models.LanguageModel.Answer;
import io.streamvl.models.LanguageModel.TextListener;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The language side of a bundle: tokenizer, prompt template and decoder, wired to the bundle's stop tokens
 * and stop strings, generating from token ids or from input embeddings (text with visual tokens spliced
 * in). Does not own the bundle.
 */
public final class BundleDecoder implements AutoCloseable {
    private final ModelBundle bundle;
    private final Tokenizer tokenizer;
    private final PromptTemplate template;
    private final LlamaModel decoder;
    private final Generator generator;
    private final Set<Integer> stopTokenIds;
    private final StopStrings stopStrings;

    private BundleDecoder(ModelBundle bundle, Tokenizer tokenizer, PromptTemplate template, LlamaModel decoder) {
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

    /** Loads the tokenizer, the manifest's template and the decoder's weights. */
    public static BundleDecoder open(ModelBundle bundle, DecoderOptions options) {
        Tokenizer tokenizer = Tokenizer.load(bundle.tokenizerJson());
        try {
            PromptTemplate template = PromptTemplate.forName(bundle.manifest().promptTemplate());
            if (tokenizer.vocabSize() > bundle.llamaConfig().vocabSize()) {
                throw new ModelFormatException(bundle.dir() + ": the tokenizer has " + tokenizer.vocabSize()
                        + " tokens, the decoder's vocabulary only " + bundle.llamaConfig().vocabSize());
            }
            LlamaModel decoder = LlamaModel.load(bundle.llamaConfig(), bundle.languageModelWeights(), options);
            return new BundleDecoder(bundle, tokenizer, template, decoder);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
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
     * The question rendered by the template and tokenized, with its one image marker.
     *
     * @throws ModelFormatException when the template does not place exactly one image
     */
    public PromptTokens visualPrompt(String question) {
        PromptTokens tokens = template.tokenize(tokenizer, question);
        if (tokens.imagePositions().length != 1) {
            throw new ModelFormatException("prompt template '" + template.name() + "' of " + bundle.dir() + " places "
                    + tokens.imagePositions().length + " images; a vision-language answer needs exactly one");
        }
        return tokens;
    }

    /** Token embeddings {@code [len][hidden]} of real vocabulary ids. */
    public float[][] embed(int[] ids) {
        return decoder.embed(new int[][] {ids})[0];
    }

    /**
     * Generates from prompt embeddings; the config's own stop tokens and condition are joined by the
     * bundle's, and the text is streamed to {@code listener} (may be null) as it becomes final.
     */
    public Answer generate(float[][] embeddings, GenerationConfig config, TextListener listener) {
        return generate(List.of(Prompt.ofEmbeddings(embeddings)), config, listener).get(0);
    }

    /** Several prompts decoded together (in batches of the decoder's {@code maxBatch}), streamed by index. */
    public List<Answer> generate(List<Prompt> prompts, GenerationConfig config, TextListener listener) {
        List<TokenStreamer> streamers = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            streamers.add(new TokenStreamer(tokenizer, true, stopStrings));
        }
        Set<Integer> stopIds = new HashSet<>(config.stopTokenIds());
        stopIds.addAll(stopTokenIds);
        var user = config.stopCondition();
        // stateless string check: one stop condition serves every sequence of the batch
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

    /** Closes the decoder and tokenizer; the bundle stays open. */
    @Override
    public void close() {
        try {
            decoder.close();
        } finally {
            tokenizer.close();
        }
    }
}

package io.streamvl.models.text;

import java.util.List;

/**
 * How a model expects one question about its visual input to be phrased. The rendered prompt holds
 * the {@link PromptTokens#IMAGE_PLACEHOLDER} where the image or video embeddings go (except
 * {@link PlainTemplate#TEXT_ONLY}).
 */
public sealed interface PromptTemplate permits Llama31Template, VicunaV1Template, TsLlavaOpenEndedTemplate,
        PlainTemplate {

    /** The name a model bundle's manifest uses. */
    String name();

    String render(String question);

    /**
     * Whether the tokenizer adds its special tokens (BOS) in front of the rendered prompt; false when
     * the rendered text starts with its BOS already.
     */
    boolean tokenizerAddsBos();

    /** Text that ends the answer; {@link TokenStreamer} matches single special tokens among it by id. */
    List<String> stopStrings();

    default PromptTokens tokenize(Tokenizer tokenizer, String question) {
        return PromptTokens.tokenizeWithImage(tokenizer, render(question), PromptTokens.IMAGE_PLACEHOLDER,
                tokenizerAddsBos());
    }

    /**
     * @throws IllegalArgumentException for an unknown name
     */
    static PromptTemplate forName(String name) {
        return switch (name) {
            case Llama31Template.NAME -> Llama31Template.DEFAULT;
            case Llama31Template.REPO_EXACT_NAME -> Llama31Template.LLAVA_MINI_REPO_EXACT;
            case VicunaV1Template.NAME -> VicunaV1Template.INSTANCE;
            case TsLlavaOpenEndedTemplate.NAME -> TsLlavaOpenEndedTemplate.INSTANCE;
            case PlainTemplate.NAME -> PlainTemplate.WITH_IMAGE;
            case PlainTemplate.TEXT_ONLY_NAME -> PlainTemplate.TEXT_ONLY;
            default -> throw new IllegalArgumentException("unknown prompt template '" + name + "'; known: "
                    + List.of(Llama31Template.NAME, Llama31Template.REPO_EXACT_NAME, VicunaV1Template.NAME,
                            TsLlavaOpenEndedTemplate.NAME, PlainTemplate.NAME, PlainTemplate.TEXT_ONLY_NAME));
        };
    }
}

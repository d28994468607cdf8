package io.streamvl.models.text;

import java.util.List;

/**
 * LLaVA-1.5/1.6's {@code conv_vicuna_v1}: {@code system + " USER: <image>\n" + question + " ASSISTANT:"}
 * (separators {@code " "} and {@code "</s>"}); the tokenizer adds BOS.
 */
public record VicunaV1Template() implements PromptTemplate {

    public static final String NAME = "vicuna-v1";
    public static final VicunaV1Template INSTANCE = new VicunaV1Template();

    static final String SYSTEM = "A chat between a curious human and an artificial intelligence assistant. The"
            + " assistant gives helpful, detailed, and polite answers to the human's questions.";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String render(String question) {
        return SYSTEM + " USER: " + PromptTokens.IMAGE_PLACEHOLDER + "\n" + question + " ASSISTANT:";
    }

    @Override
    public boolean tokenizerAddsBos() {
        return true;
    }

    @Override
    public List<String> stopStrings() {
        return List.of("</s>");
    }
}

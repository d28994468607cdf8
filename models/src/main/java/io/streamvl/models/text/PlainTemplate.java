package io.streamvl.models.text;

import java.util.List;

/**
 * No roles and no system text, for the project's tiny models. {@link #WITH_IMAGE} still puts the image
 * placeholder in front ({@code "<image>\n" + question}) because the model needs a place to splice the
 * image in; {@link #TEXT_ONLY} is the bare question. The tokenizer adds BOS; the answer ends at EOS, so
 * there are no stop strings.
 */
public record PlainTemplate(boolean withImage) implements PromptTemplate {

    public static final String NAME = "plain";
    public static final String TEXT_ONLY_NAME = "plain-text";
    public static final PlainTemplate WITH_IMAGE = new PlainTemplate(true);
    public static final PlainTemplate TEXT_ONLY = new PlainTemplate(false);

    @Override
    public String name() {
        return withImage ? NAME : TEXT_ONLY_NAME;
    }

    @Override
    public String render(String question) {
        return withImage ? PromptTokens.IMAGE_PLACEHOLDER + "\n" + question : question;
    }

    @Override
    public boolean tokenizerAddsBos() {
        return true;
    }

    @Override
    public List<String> stopStrings() {
        return List.of();
    }
}

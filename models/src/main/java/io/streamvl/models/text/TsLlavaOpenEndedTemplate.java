package io.streamvl.models.text;

import java.util.List;

/**
 * TS-LLaVA's open-ended video prompt ({@code image_seq_v3}, 7B). It is the whole prompt, with no
 * system turn, and ends inside the answer ("Answer: In the video,") so the model continues that
 * sentence: the generated text is the rest of it.
 */
public record TsLlavaOpenEndedTemplate() implements PromptTemplate {

    public static final String NAME = "ts-llava-open";
    public static final TsLlavaOpenEndedTemplate INSTANCE = new TsLlavaOpenEndedTemplate();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String render(String question) {
        return "USER: " + PromptTokens.IMAGE_PLACEHOLDER + "\nThe input consists of a sequence of key frames from a"
                + " video. Answer concisely with overall content and context of the video, highlighting any"
                + " significant events, characters, or objects that appear throughout the video. Question: "
                + question + " \nASSISTANT:\nAnswer: In the video,";
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

package io.streamvl.models.text;

import java.util.List;

/**
 * LLaVA-Mini's {@code conv_llava_llama_3_1}: a system turn and a user turn {@code "<image>\n" + question}
 * in the Llama-3.1 chat format.
 *
 * <p>Choices, each a component so a bundle can pick:
 * <ul>
 *   <li>{@code assistantHeader}: the repo's inference prompt ends after the user's {@code <|eot_id|>}
 *       while its training sequences carry {@code <|start_header_id|>assistant<|end_header_id|>\n\n};
 *       {@link #DEFAULT} appends the header so the model answers in the position it was trained on.
 *   <li>{@code knowledgeDate}: the stock Llama-3.1 chat template opens the system turn with
 *       "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n" (its default date). Whether
 *       LLaVA-Mini's tokenizer does is unverified, so it is off by default and {@link #adaptedTo}
 *       switches it on when the bundle's own chat template contains it.
 *   <li>{@code doubleBos}: the rendered text starts with {@code <|begin_of_text|>}; in the repo the
 *       tokenizer adds a second one at inference, while training strips the duplicate. {@link #DEFAULT}
 *       keeps one.
 * </ul>
 * The question is trimmed, as the stock template trims message contents.
 */
public record Llama31Template(String system, boolean assistantHeader, boolean knowledgeDate, boolean doubleBos)
        implements PromptTemplate {

    public static final String NAME = "llama-3.1";
    public static final String REPO_EXACT_NAME = "llama-3.1-repo-exact";

    public static final String LLAVA_MINI_SYSTEM = "You are a helpful language and vision assistant. You are able"
            + " to understand the visual content that the user provides, and assist the user with a variety of"
            + " tasks using natural language.";

    static final String KNOWLEDGE_DATE = "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n";

    /** Trained-format prompt: assistant header, one BOS, no date preamble. */
    public static final Llama31Template DEFAULT = new Llama31Template(LLAVA_MINI_SYSTEM, true, false, false);

    /** What LLaVA-Mini's own inference code feeds the model: no assistant header, double BOS. */
    public static final Llama31Template LLAVA_MINI_REPO_EXACT =
            new Llama31Template(LLAVA_MINI_SYSTEM, false, false, true);

    /** The preset name this template's BOS and header choices match. */
    @Override
    public String name() {
        return assistantHeader || !doubleBos ? NAME : REPO_EXACT_NAME;
    }

    @Override
    public String render(String question) {
        return "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                + (knowledgeDate ? KNOWLEDGE_DATE : "")
                + system.trim()
                + "<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n"
                + (PromptTokens.IMAGE_PLACEHOLDER + "\n" + question).trim()
                + "<|eot_id|>"
                + (assistantHeader ? "<|start_header_id|>assistant<|end_header_id|>\n\n" : "");
    }

    @Override
    public boolean tokenizerAddsBos() {
        return doubleBos;
    }

    /** The texts of Llama 3.1's stop ids 128009, 128008 and 128001. */
    @Override
    public List<String> stopStrings() {
        return List.of("<|eot_id|>", "<|eom_id|>", "<|end_of_text|>");
    }

    /** This template with the date preamble exactly when the tokenizer's chat template writes one. */
    public Llama31Template adaptedTo(Tokenizer tokenizer) {
        boolean date = tokenizer.chatTemplate().map(t -> t.contains("Cutting Knowledge Date")).orElse(false);
        return new Llama31Template(system, assistantHeader, date, doubleBos);
    }
}

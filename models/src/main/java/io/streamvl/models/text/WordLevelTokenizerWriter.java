package io.streamvl.models.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes a word-level {@code tokenizer.json} (Hugging Face format) and its {@code tokenizer_config.json}
 * for the project's own tiny models, which are trained here and ship their tokenizer in the bundle.
 *
 * <p>The tokenizer lower-cases, splits on whitespace and isolates every punctuation character, then
 * maps each piece to its word id ({@code <unk>} when unknown). Ids: the {@link #SPECIAL_TOKENS} in
 * order from 0, then the words in first-seen order. {@code <pad>} is id 0 because LLaVA-Mini's
 * pre-fusion masks ids {@code <= 0} as padding. There is no decoder, so decoding joins pieces with one
 * space ({@code "a red circle ?"}): exact and predictable, where a clean-up decoder would rewrite text.
 */
public final class WordLevelTokenizerWriter {

    public static final List<String> SPECIAL_TOKENS = List.of("<pad>", "<s>", "</s>", "<unk>", "<image>",
            "<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>");

    private static final ObjectMapper JSON = new ObjectMapper();

    private WordLevelTokenizerWriter() {}

    /** Llama-2 style: the tokenizer adds {@code <s>}; EOS is {@code </s>}. */
    public static Path write(Path dir, List<String> words) {
        return write(dir, words, "<s>", "</s>");
    }

    /**
     * @param dir created if missing; receives {@code tokenizer.json} and {@code tokenizer_config.json}
     * @param words lower case, each one piece as {@link #words(String)} splits text; repeats are dropped
     * @param bos the special token the tokenizer adds in front when asked to add special tokens
     * @param eos the special token recorded as EOS in the config
     * @return the {@code tokenizer.json} path
     */
    public static Path write(Path dir, List<String> words, String bos, String eos) {
        requireSpecial(bos);
        requireSpecial(eos);
        Set<String> vocabulary = new LinkedHashSet<>(SPECIAL_TOKENS);
        for (String word : words) {
            requireWord(word);
            vocabulary.add(word);
        }
        try {
            Files.createDirectories(dir);
            Path tokenizerJson = dir.resolve("tokenizer.json");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tokenizerJson.toFile(), tokenizerJson(vocabulary, bos));
            ObjectNode config = JSON.createObjectNode()
                    .put("bos_token", bos)
                    .put("eos_token", eos)
                    .put("pad_token", "<pad>")
                    .put("unk_token", "<unk>");
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("tokenizer_config.json").toFile(), config);
            return tokenizerJson;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tokenizer to " + dir, e);
        }
    }

    /** The pieces the written tokenizer cuts {@code text} into: what a vocabulary must hold to cover it. */
    public static List<String> words(String text) {
        List<String> pieces = new ArrayList<>();
        for (String chunk : text.toLowerCase(Locale.ROOT).split("(?U)\\s+")) {
            StringBuilder word = new StringBuilder();
            chunk.codePoints().forEach(cp -> {
                if (isPunctuation(cp)) {
                    if (word.length() > 0) {
                        pieces.add(word.toString());
                        word.setLength(0);
                    }
                    pieces.add(Character.toString(cp));
                } else {
                    word.appendCodePoint(cp);
                }
            });
            if (word.length() > 0) {
                pieces.add(word.toString());
            }
        }
        return pieces;
    }

    private static ObjectNode tokenizerJson(Set<String> vocabulary, String bos) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < SPECIAL_TOKENS.size(); id++) {
            added.addObject()
                    .put("id", id)
                    .put("content", SPECIAL_TOKENS.get(id))
                    .put("single_word", false)
                    .put("lstrip", false)
                    .put("rstrip", false)
                    .put("normalized", false)
                    .put("special", true);
        }
        root.putObject("normalizer").put("type", "Lowercase");
        ObjectNode preTokenizer = root.putObject("pre_tokenizer").put("type", "Sequence");
        ArrayNode steps = preTokenizer.putArray("pretokenizers");
        steps.addObject().put("type", "WhitespaceSplit");
        steps.addObject().put("type", "Punctuation").put("behavior", "Isolated");
        root.set("post_processor", bosProcessor(bos, SPECIAL_TOKENS.indexOf(bos)));
        root.putNull("decoder");
        ObjectNode model = root.putObject("model").put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        int id = 0;
        for (String token : vocabulary) {
            vocab.put(token, id++);
        }
        model.put("unk_token", "<unk>");
        return root;
    }

    private static ObjectNode bosProcessor(String bos, int bosId) {
        ObjectNode processor = JSON.createObjectNode().put("type", "TemplateProcessing");
        ArrayNode single = processor.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = processor.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode entry = processor.putObject("special_tokens").putObject(bos);
        entry.put("id", bos);
        entry.putArray("ids").add(bosId);
        entry.putArray("tokens").add(bos);
        return processor;
    }

    private static void requireSpecial(String token) {
        if (!SPECIAL_TOKENS.contains(token)) {
            throw new IllegalArgumentException(token + " is not one of " + SPECIAL_TOKENS);
        }
    }

    /** A word the pre-tokenizer would never produce could never be encoded. */
    private static void requireWord(String word) {
        if (!List.of(word).equals(words(word)) || SPECIAL_TOKENS.contains(word)) {
            throw new IllegalArgumentException("not a single lower-case word or punctuation mark: '" + word + "'");
        }
    }

    /** The characters HF's {@code Punctuation} pre-tokenizer isolates: ASCII punctuation and Unicode P*. */
    private static boolean isPunctuation(int cp) {
        if (cp < 128) {
            return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126);
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }
}

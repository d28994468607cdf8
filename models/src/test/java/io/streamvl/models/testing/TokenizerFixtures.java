package io.streamvl.models.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.models.text.WordLevelTokenizerWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Real {@code tokenizer.json} files (Hugging Face format) for tests. */
public final class TokenizerFixtures {

    /**
     * Byte-level BPE ids: byte {@code b} is id {@code b}; merges add these ids in order. "é" (C3 A9) is
     * one token; "😀" (F0 9F 98 80) is three: {@code ðŁ}, then bytes 0x98 and 0x80; "€" stays three bytes.
     */
    public static final List<String> BYTE_LEVEL_MERGES = List.of("Ġ t", "h e", "Ġt he", "Ã ©", "ð Ł");
    public static final int BYTE_LEVEL_BOS = 261;
    public static final int BYTE_LEVEL_EOT = 262;
    public static final int BYTE_LEVEL_END_OF_TEXT = 263;

    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenizerFixtures() {}

    /**
     * A word-level tokenizer over {@code words} that adds {@code <s>}; ids as
     * {@link WordLevelTokenizerWriter} assigns them (specials 0–8, then the words from 9).
     *
     * @return the {@code tokenizer.json} in {@code dir}
     */
    public static Path wordLevel(Path dir, List<String> words) {
        return WordLevelTokenizerWriter.write(dir, words);
    }

    /**
     * A GPT-2/Llama-3 style byte-level BPE (ByteLevel pre-tokenizer and decoder) with the few
     * {@link #BYTE_LEVEL_MERGES}, and added tokens {@code <|begin_of_text|>} (261, prepended by the
     * post-processor), {@code <|eot_id|>} (262) and {@code <|end_of_text|>} (263). The config names BOS
     * and EOS and has a chat template mentioning the Llama 3.1 knowledge-date preamble.
     *
     * @return the {@code tokenizer.json} in {@code dir}
     */
    public static Path byteLevelBpe(Path dir) {
        String[] byteChars = byteToChar();
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        List<String> specials = List.of("<|begin_of_text|>", "<|eot_id|>", "<|end_of_text|>");
        for (int i = 0; i < specials.size(); i++) {
            added.addObject().put("id", BYTE_LEVEL_BOS + i).put("content", specials.get(i)).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        ObjectNode post = root.putObject("post_processor").put("type", "Sequence");
        ArrayNode processors = post.putArray("processors");
        processors.addObject().put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", false)
                .put("use_regex", true);
        ObjectNode template = processors.addObject().put("type", "TemplateProcessing");
        template.putArray("single").add(special("<|begin_of_text|>")).add(sequence("A"));
        template.putArray("pair").add(special("<|begin_of_text|>")).add(sequence("A"))
                .add(special("<|begin_of_text|>")).add(sequence("B"));
        ObjectNode bos = template.putObject("special_tokens").putObject("<|begin_of_text|>");
        bos.put("id", "<|begin_of_text|>");
        bos.putArray("ids").add(BYTE_LEVEL_BOS);
        bos.putArray("tokens").add("<|begin_of_text|>");
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", true)
                .put("use_regex", true);
        ObjectNode model = root.putObject("model").put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false).put("byte_fallback", false).put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int b = 0; b < 256; b++) {
            vocab.put(byteChars[b], b);
        }
        ArrayNode merges = model.putArray("merges");
        for (int i = 0; i < BYTE_LEVEL_MERGES.size(); i++) {
            vocab.put(BYTE_LEVEL_MERGES.get(i).replace(" ", ""), 256 + i);
            merges.add(BYTE_LEVEL_MERGES.get(i));
        }
        ObjectNode config = JSON.createObjectNode().put("bos_token", "<|begin_of_text|>").put("eos_token", "<|eot_id|>")
                .put("chat_template", "{{- \"Cutting Knowledge Date: December 2023\\n\" }}");
        try {
            Files.createDirectories(dir);
            Path tokenizerJson = dir.resolve("tokenizer.json");
            JSON.writeValue(tokenizerJson.toFile(), root);
            JSON.writeValue(dir.resolve("tokenizer_config.json").toFile(), config);
            return tokenizerJson;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * GPT-2's reversible byte-to-character table: printable Latin-1 bytes stand for themselves, the
     * other bytes take code points from 256 up, in byte order, so no token contains whitespace.
     */
    private static String[] byteToChar() {
        String[] chars = new String[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            chars[b] = Character.toString(printable ? b : next++);
        }
        return chars;
    }

    private static ObjectNode special(String id) {
        ObjectNode node = JSON.createObjectNode();
        node.putObject("SpecialToken").put("id", id).put("type_id", 0);
        return node;
    }

    private static ObjectNode sequence(String id) {
        ObjectNode node = JSON.createObjectNode();
        node.putObject("Sequence").put("id", id).put("type_id", 0);
        return node;
    }
}

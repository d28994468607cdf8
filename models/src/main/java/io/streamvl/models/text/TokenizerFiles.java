package io.streamvl.models.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamvl.models.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link Tokenizer} needs from {@code tokenizer.json} and {@code tokenizer_config.json} that DJL
 * does not expose: the token-to-id table, the vocabulary size, the BOS/EOS tokens and the chat template.
 */
record TokenizerFiles(Map<String, Integer> ids, int vocabSize, Optional<String> bosToken, Optional<String> eosToken,
        Optional<String> chatTemplate) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static TokenizerFiles read(Path tokenizerJson, Path tokenizerConfig) {
        JsonNode tokenizer = readTree(tokenizerJson);
        Map<String, Integer> ids = new HashMap<>();
        readModelVocab(tokenizer.path("model"), ids, tokenizerJson);
        for (JsonNode added : tokenizer.path("added_tokens")) {
            ids.put(added.path("content").asText(), added.path("id").asInt());
        }
        int vocabSize = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;

        JsonNode config = tokenizerConfig != null && Files.isRegularFile(tokenizerConfig)
                ? readTree(tokenizerConfig) : JSON.createObjectNode();
        Optional<String> bos = tokenText(config.get("bos_token")).or(() -> leadingSpecialToken(tokenizer));
        Optional<String> eos = tokenText(config.get("eos_token"));
        JsonNode template = config.get("chat_template");
        // Some configs hold a list of named templates instead of one string.
        Optional<String> chatTemplate = template == null || template.isNull() ? Optional.empty()
                : Optional.of(template.isTextual() ? template.asText() : template.toString());
        return new TokenizerFiles(Map.copyOf(ids), vocabSize, bos, eos, chatTemplate);
    }

    private static JsonNode readTree(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelFormatException("cannot read tokenizer file " + file + ": " + e.getMessage(), e);
        }
    }

    /** BPE, WordPiece and WordLevel store {@code token: id}; Unigram stores {@code [piece, score]} by id. */
    private static void readModelVocab(JsonNode model, Map<String, Integer> ids, Path file) {
        JsonNode vocab = model.path("vocab");
        if (vocab.isObject()) {
            for (Map.Entry<String, JsonNode> entry : vocab.properties()) {
                ids.put(entry.getKey(), entry.getValue().asInt());
            }
        } else if (vocab.isArray()) {
            for (int id = 0; id < vocab.size(); id++) {
                ids.put(vocab.get(id).path(0).asText(), id);
            }
        } else {
            throw new ModelFormatException(file + " has no model.vocab");
        }
    }

    /** HF writes special tokens either as a plain string or as a serialized {@code AddedToken}. */
    private static Optional<String> tokenText(JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        return Optional.of(node.isObject() ? node.path("content").asText() : node.asText());
    }

    /**
     * Without a config, the token a {@code TemplateProcessing} post-processor puts first is the BOS the
     * tokenizer adds; a tokenizer that adds nothing first has no BOS to report.
     */
    private static Optional<String> leadingSpecialToken(JsonNode tokenizer) {
        JsonNode processor = tokenizer.path("post_processor");
        // Llama 3 wraps its TemplateProcessing in a Sequence after a ByteLevel step.
        Iterable<JsonNode> candidates = "Sequence".equals(processor.path("type").asText())
                ? processor.path("processors") : List.of(processor);
        for (JsonNode candidate : candidates) {
            JsonNode first = candidate.path("single").path(0).path("SpecialToken").path("id");
            if (first.isTextual()) {
                return Optional.of(first.asText());
            }
        }
        return Optional.empty();
    }
}

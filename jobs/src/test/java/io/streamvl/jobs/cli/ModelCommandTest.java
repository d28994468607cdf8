package io.streamvl.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamvl.kafka.Json;
import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.llama.DecoderOptions;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.llama.LlamaModel;
import io.streamvl.models.testing.TinyClip;
import io.streamvl.models.text.WordLevelTokenizerWriter;
import io.streamvl.models.tiny.TinyLlama;
import io.streamvl.models.tiny.TinyLlavaMini;
import io.streamvl.models.vision.ClipVisionConfig;
import io.streamvl.models.inspect.VisionInspection;
import io.streamvl.models.weights.DType;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `streamvl model info|logits` on a bundle written by our own code. */
class ModelCommandTest {
    private static final LlamaConfig CONFIG = TinyLlama.configs().get("gqa-untied");

    @TempDir
    Path dir;

    @Test
    void infoReportsArchitectureAndParameterCount() throws Exception {
        Path bundle = TinyLlama.write(dir, CONFIG, 3, DType.BF16);
        StreamvlCliTest.Run r = StreamvlCliTest.run("model", "info", "--bundle", bundle.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode info = Json.MAPPER.readTree(r.out());
        long expected = TinyLlama.weights(CONFIG, 3).names().stream()
                .mapToLong(n -> TinyLlama.weights(CONFIG, 3).info(n).elements()).sum();
        assertThat(info.toString()).contains("llama").contains("BF16");
        assertThat(info.path("weights").path("parameters").asLong()).isEqualTo(expected);
    }

    @Test
    void logitsJsonEqualsTheDecoderOnTheSameIds() throws Exception {
        Path bundle = TinyLlama.write(dir, CONFIG, 3, DType.F32);
        StreamvlCliTest.Run r = StreamvlCliTest.run("model", "logits", "--bundle", bundle.toString(), "--ids",
                "1,2,3,50", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode logits = Json.MAPPER.readTree(r.out()).get("logits");
        assertThat(logits.size()).isEqualTo(CONFIG.vocabSize());
        try (ModelBundle b = ModelBundle.open(bundle);
                LlamaModel model = LlamaModel.load(b.llamaConfig(), b.languageModelWeights(),
                        DecoderOptions.defaults().withMaxBatch(1).withMaxCacheLength(4))) {
            float[] expected = model.lastLogits(new int[] {1, 2, 3, 50});
            for (int i = 0; i < expected.length; i++) {
                assertThat(logits.get(i).asDouble()).isCloseTo(expected[i], within(1e-6));
            }
        }
    }

    @Test
    void visionPrintsTheTowerFeaturesOfAnImageFile() throws Exception {
        ClipVisionConfig vision = TinyClip.config();
        Path bundle = TinyClip.writeLlavaBundle(dir.resolve("llava"), CONFIG, vision, 5);
        Path image = dir.resolve("image.png");
        BufferedImage picture = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                picture.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | 128);
            }
        }
        ImageIO.write(picture, "png", image.toFile());

        StreamvlCliTest.Run r = StreamvlCliTest.run("model", "vision", "--bundle", bundle.toString(), "--image",
                image.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode out = Json.MAPPER.readTree(r.out());
        assertThat(out.get("shape").get(0).asInt()).isEqualTo(vision.numPatches());
        assertThat(out.get("shape").get(1).asInt()).isEqualTo(vision.hiddenSize());
        JsonNode features = out.get("features");
        try (ModelBundle b = ModelBundle.open(bundle)) {
            float[] expected = VisionInspection.run(b, ImageInput.read(image, vision.imageSize()));
            assertThat(features.size()).isEqualTo(expected.length);
            for (int i = 0; i < expected.length; i++) {
                assertThat(features.get(i).asDouble()).isCloseTo(expected[i], within(1e-6));
            }
        }
        assertThat(out.has("pixels")).isFalse();
        JsonNode pixels = Json.MAPPER.readTree(StreamvlCliTest.run("model", "vision", "--bundle", bundle.toString(),
                "--image", image.toString(), "--json", "--pixels").out()).get("pixels");
        float[] input = ImageInput.read(image, vision.imageSize());
        assertThat(pixels.size()).isEqualTo(input.length);
        for (int i = 0; i < input.length; i++) {
            assertThat(pixels.get(i).floatValue()).isEqualTo(input[i]);
        }
        StreamvlCliTest.Run missing = StreamvlCliTest.run("model", "vision", "--bundle", bundle.toString(), "--image",
                dir.resolve("none.png").toString());
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err()).contains("none.png");
    }

    @Test
    void visionAddsTheCompressedTokenForLlavaMiniBundles() throws Exception {
        List<String> words = IntStream.range(0, 40).mapToObj(i -> "w" + i).toList();
        Path tokenizer = WordLevelTokenizerWriter.write(dir.resolve("tok"), words);
        Path bundle = TinyLlavaMini.write(dir.resolve("mini"), 4, tokenizer);
        Path image = dir.resolve("image.png");
        ImageIO.write(new BufferedImage(30, 30, BufferedImage.TYPE_3BYTE_BGR), "png", image.toFile());
        StreamvlCliTest.Run r = StreamvlCliTest.run("model", "vision", "--bundle", bundle.toString(), "--image",
                image.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode compressed = Json.MAPPER.readTree(r.out()).get("compressed");
        try (ModelBundle b = ModelBundle.open(bundle)) {
            float[] expected = VisionInspection.compressed(b,
                    ImageInput.read(image, TinyLlavaMini.visionConfig().imageSize()));
            assertThat(compressed.size()).isEqualTo(expected.length);
            for (int i = 0; i < expected.length; i++) {
                assertThat(compressed.get(i).asDouble()).isCloseTo(expected[i], within(1e-6));
            }
        }
    }

    @Test
    void writeTinyWritesABundleThatLoads() throws Exception {
        Path out = dir.resolve("tiny");
        StreamvlCliTest.Run r = StreamvlCliTest.run("model", "write-tiny", "--config", "gqa-llama3", "--out",
                out.toString(), "--dtype", "BF16");
        assertThat(r.code()).as(r.err()).isZero();
        try (ModelBundle b = ModelBundle.open(out)) {
            assertThat(b.llamaConfig()).isEqualTo(TinyLlama.configs().get("gqa-llama3"));
        }
        assertThat(StreamvlCliTest.run("model", "write-tiny", "--config", "huge", "--out", out.toString()).err())
                .contains("unknown tiny config huge");
    }

    @Test
    void badBundlesGiveAClearErrorNamingTheCulprit() throws Exception {
        StreamvlCliTest.Run missing = StreamvlCliTest.run("model", "info", "--bundle", dir.resolve("nope").toString());
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err()).contains("nope");

        Path bundle = TinyLlama.write(dir.resolve("b"), CONFIG, 3, DType.F32);
        Path weights = bundle.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[8] = '!';
        Files.write(weights, bytes);
        StreamvlCliTest.Run corrupt = StreamvlCliTest.run("model", "logits", "--bundle", bundle.toString(), "--ids", "1");
        assertThat(corrupt.code()).isNotZero();
        assertThat(corrupt.err()).contains("model.safetensors");

        StreamvlCliTest.Run outOfVocab = StreamvlCliTest.run("model", "logits", "--bundle",
                TinyLlama.write(dir.resolve("c"), CONFIG, 3, DType.F32).toString(), "--ids", "1,100000");
        assertThat(outOfVocab.code()).isNotZero();
        assertThat(outOfVocab.err()).contains("100000");
    }
}

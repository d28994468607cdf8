package io.streamvl.models.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.tiny.TinyLlama;
import io.streamvl.models.weights.DType;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole loading path — our safetensors writer, a bundle directory (config.json, manifest),
 * the memory-mapped reader with BF16/F16 widening, the weight check — feeds the decoder exactly the
 * weights the plain-Java reference computes with.
 */
class BundleParityTest {
    private static final int[] IDS = {1, 17, 42, 5, 99, 3, 64};

    static java.util.stream.Stream<Arguments> bundles() {
        return TinyLlama.configs().entrySet().stream().flatMap(e -> java.util.stream.Stream.of(DType.F32, DType.BF16,
                DType.F16).map(d -> Arguments.of(e.getKey(), e.getValue(), d)));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("bundles")
    void logitsFromABundleOnDiskMatchTheReference(String name, LlamaConfig config, DType dtype, @TempDir Path dir) {
        TinyLlama.write(dir, config, 7, dtype);
        double[] expected;
        ReferenceLlama reference = new ReferenceLlama(config, TinyLlama.weights(config, 7, dtype));
        double[][] all = reference.logits(IDS, 0);
        expected = all[all.length - 1];
        try (ModelBundle bundle = ModelBundle.open(dir);
                LlamaModel model = LlamaModel.load(bundle.llamaConfig(), bundle.languageModelWeights(),
                        DecoderOptions.defaults().withMaxBatch(1).withMaxCacheLength(16))) {
            assertThat(bundle.llamaConfig()).isEqualTo(config);
            float[] logits = model.lastLogits(IDS);
            assertThat(logits).hasSize(config.vocabSize());
            for (int i = 0; i < logits.length; i++) {
                assertThat((double) logits[i]).as("logit %d", i).isCloseTo(expected[i], within(1e-4));
            }
        }
    }

}

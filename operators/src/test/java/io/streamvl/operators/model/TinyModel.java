package io.streamvl.operators.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamvl.ingest.ModelInputConverter;
import io.streamvl.ingest.ModelInputSpec;
import io.streamvl.ingest.ResizeMode;
import io.streamvl.ingest.SampledFrame;
import io.streamvl.models.llavamini.EncodedFrame;
import io.streamvl.models.llavamini.LlavaMiniModel;
import io.streamvl.models.llavamini.PromptedFrame;
import io.streamvl.models.tiny.TinyLlavaMini;
import io.streamvl.models.tiny.TinyVlmFixtures;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A real tiny random {@code llava-mini} bundle (written once per test JVM) and real JPEG frames at its
 * input size, for the model operators' tests.
 */
public final class TinyModel {
    /** The tiny tower's image side ({@code TinyLlavaMini.visionConfig().imageSize()}). */
    public static final int INPUT_SIZE = TinyLlavaMini.visionConfig().imageSize();

    private static ModelSettings settings;

    private TinyModel() {}

    /** Two intra-op threads, a 256-token cache, decoder batches of 4. */
    public static synchronized ModelSettings settings() {
        if (settings == null) {
            try {
                Path dir = Files.createTempDirectory("streamvl-tiny-llava-mini");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                Path bundle = TinyLlavaMini.write(dir.resolve("bundle"), 11, TinyVlmFixtures.tokenizer(dir.resolve("tok")));
                settings = ModelSettings.of(bundle.toString()).withThreads(2, 1).withMaxContext(256).withMaxBatch(4);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return settings;
    }

    /** A JPEG of {@link #INPUT_SIZE} square: a seeded smooth colour ramp with noise, as a camera frame might be. */
    public static byte[] jpeg(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int base = random.nextInt(0xffffff);
        BufferedImage img = new BufferedImage(INPUT_SIZE, INPUT_SIZE, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < INPUT_SIZE; y++) {
            for (int x = 0; x < INPUT_SIZE; x++) {
                int r = ((base >> 16) + 8 * x + random.nextInt(16)) & 0xff;
                int g = ((base >> 8) + 8 * y + random.nextInt(16)) & 0xff;
                int b = (base + 4 * (x + y)) & 0xff;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A sampled frame of {@code stream} at event time {@code t} with {@link #jpeg}{@code (seed)}. */
    public static SampledFrame frame(String stream, long t, long seed) {
        SampledFrame f = new SampledFrame();
        f.streamId = stream;
        f.eventTimeMillis = t;
        f.segmentSequence = t / 2000;
        f.width = INPUT_SIZE;
        f.height = INPUT_SIZE;
        f.sourceWidth = 4 * INPUT_SIZE;
        f.sourceHeight = 3 * INPUT_SIZE;
        f.jpeg = jpeg(seed);
        return f;
    }

    /** The frame encoded alone, straight through the model. */
    public static EncodedFrame encode(SharedModels.Lease<LlavaMiniModel> lease, SampledFrame f) {
        float[] image = tensor(f);
        return lease.call(m -> m.encode(image, 1).get(0));
    }

    /** The frame encoded with the prompt's fused text, as the frame encoder does with a caption prompt. */
    public static PromptedFrame encode(SharedModels.Lease<LlavaMiniModel> lease, SampledFrame f, String prompt) {
        float[] image = tensor(f);
        return lease.call(m -> m.encode(image, 1, prompt).get(0));
    }

    private static float[] tensor(SampledFrame f) {
        ModelInputSpec spec = ModelInputSpec.clipDefaults().withSize(INPUT_SIZE, INPUT_SIZE)
                .withResizeMode(ResizeMode.NEAREST);
        float[] image = new float[spec.tensorLength()];
        ModelInputConverter.jpegToTensor(f.jpeg, spec, image);
        return image;
    }

    /** Every element within {@code tolerance} of the expected one. */
    public static void assertClose(float[][] expected, float[][] actual, float tolerance) {
        assertThat(actual).hasNumberOfRows(expected.length);
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertThat(actual[i][j]).as("row %d col %d", i, j)
                        .isCloseTo(expected[i][j], within(tolerance));
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit
        }
    }
}

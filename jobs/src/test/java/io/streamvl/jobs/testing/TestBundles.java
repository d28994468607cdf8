package io.streamvl.jobs.testing;

import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.text.WordLevelTokenizerWriter;
import io.streamvl.models.tiny.ShapesModelConfig;
import io.streamvl.shapes.train.ShapesVocabulary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Model bundles for the job's tests: the shipped demo model, and an untrained one of its shape (architecture,
 * tokenizer, sizes; seeded random weights) for tests that need any model at all. The random model's captions and
 * answers are words of the shapes vocabulary in no meaningful order and never end early.
 */
public final class TestBundles {
    private static Path randomShapes;

    private TestBundles() {}

    /** bundles/streamvl-shapes, where the build keeps it (the parent pom's streamvl.bundles.dir). */
    public static Path shipped() {
        return Path.of(System.getProperty("streamvl.bundles.dir", "bundles"), "streamvl-shapes").toAbsolutePath();
    }

    /** The name the bundle's manifest gives its model, which captions and answers carry. */
    public static String modelName(Path bundle) {
        try (ModelBundle b = ModelBundle.open(bundle)) {
            return b.manifest().name();
        }
    }

    /** Written once per test JVM. */
    public static synchronized Path randomShapes() {
        if (randomShapes == null) {
            try {
                Path dir = Files.createTempDirectory("streamvl-random-shapes");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                Path tokenizer = WordLevelTokenizerWriter.write(dir.resolve("tokenizer"), ShapesVocabulary.words());
                randomShapes = ShapesModelConfig.write(dir.resolve("bundle"), 5, tokenizer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return randomShapes;
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit
        }
    }
}

package io.streamvl.jobs.cli;

import io.streamvl.shapes.ShapesDataset;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `streamvl shapes ...`: the synthetic shapes world the demo model is trained and evaluated on. */
@Command(name = "shapes", mixinStandardHelpOptions = true, description = "The synthetic shapes world.",
        subcommands = ShapesCommand.Generate.class)
public final class ShapesCommand {

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Write N shapes-world videos (320x240, 10 fps, H.264 MP4) with questions.jsonl and",
                    "captions.jsonl; the same seed gives the same files, and video k does not depend on N."})
    static final class Generate implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
        Path out;

        @Option(names = "--videos", required = true, paramLabel = "N", description = "Number of videos.")
        int videos;

        @Option(names = "--seed", paramLabel = "S", description = "Seed (default ${DEFAULT-VALUE}).")
        long seed = 1;

        @Override
        public Integer call() throws Exception {
            if (videos < 1) {
                throw new IllegalArgumentException("--videos must be at least 1, got " + videos);
            }
            ShapesDataset.generate(out, videos, seed, written -> {
                if (written % 50 == 0 || written == videos) {
                    System.err.printf("%d/%d videos%n", written, videos);
                }
            });
            ShapesDataset data = ShapesDataset.read(out);
            System.out.printf("wrote %d videos, %d questions, %d captions to %s%n", data.videos().size(),
                    data.questions().size(), data.captions().size(), out);
            return 0;
        }
    }
}

package io.streamvl.jobs.cli;

import io.streamvl.jobs.config.ModelBundlePath;
import io.streamvl.jobs.demo.Demo;
import io.streamvl.models.FileTrees;
import io.streamvl.shapes.train.ShapesTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `streamvl demo`: everything embedded, a shapes-world camera, and a few questions. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Everything embedded: Kafka broker, Flink MiniCluster (RocksDB, checkpoints),",
                "the demo model (streamvl.model.bundle) and a generated shapes-world video",
                "published as a live camera, one 4 s clip per caption window. Prints each",
                "window's caption as it closes, the alerts of a standing question, and the",
                "answers to questions about the camera's history and about a video file, each",
                "with the video time it covers and the answer the shapes world says is right."})
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    ConfigMixin config;

    @Option(names = "--clips", paramLabel = "N",
            description = "Clips the camera plays before the script ends (default ${DEFAULT-VALUE}, at least 2).")
    int clips = 4;

    @Option(names = "--seed", paramLabel = "S", description = "Shapes-world seed of the clips and the video file "
            + "(default ${DEFAULT-VALUE}; " + ShapesTrainer.SEED + " is the demo model's training seed).")
    long seed = Demo.DEFAULT_SEED;

    @Option(names = "--once", description = "Run the script to its end and exit (0 when every window got its "
            + "caption and every question its answer), instead of playing on until Ctrl-C.")
    boolean once;

    @Option(names = "--json", description = "Print only the captions and answers, one JSON line each, as they are "
            + "on the topics.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Demo demo = new Demo(new Demo.Options(clips, seed, once, json), System.out);
        Configuration user = config.load();
        // before anything starts: a missing model is the likeliest reason for the demo to fail
        ModelBundlePath.existing(user);
        Path work = Files.createTempDirectory("streamvl-demo-");
        CountDownLatch finished = new CountDownLatch(1);
        Thread stopOnCtrlC = new Thread(() -> {
            demo.stop();
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "streamvl-demo-stop");
        Runtime.getRuntime().addShutdownHook(stopOnCtrlC);
        try {
            return demo.run(Demo.configure(user, work), work) ? 0 : 1;
        } finally {
            FileTrees.delete(work);
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for the countdown above
            }
        }
    }
}

package io.streamvl.jobs.cli;

import io.streamvl.jobs.LocalStack;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `streamvl local`: the embedded stack, left running for the user's own producers and queries. */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = {"Start an embedded Kafka broker (127.0.0.1) and the whole streamvl job on a",
                "local Flink MiniCluster (RocksDB state, checkpoints, the model of",
                "streamvl.model.bundle). Ctrl-C stops the job with a savepoint that the next",
                "start resumes from."})
public final class LocalCommand implements Callable<Integer> {
    @Mixin
    ConfigMixin config;

    @Option(names = "--restore-from", paramLabel = "SAVEPOINT", description = "Start from this savepoint.")
    String restoreFrom;

    @Option(names = "--fresh", description = "Ignore the savepoint the last run left in the work directory.")
    boolean fresh;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        LocalStack stack = LocalStack.start(config.load(), restoreFrom, fresh);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping: job with savepoint, then Kafka ...");
            try {
                stack.close();
            } catch (Exception e) {
                System.err.println("streamvl: clean stop failed: " + StreamvlCli.messageOf(e));
            }
            stopped.countDown();
        }, "streamvl-local-stop"));
        System.out.println("streamvl local is running");
        System.out.println("  Kafka:    " + stack.bootstrapServers());
        System.out.println("  job:      " + stack.job().getJobID()
                + (stack.restoredFrom() == null ? "" : " (restored from " + stack.restoredFrom() + ")"));
        System.out.println("  work dir: " + stack.workDir());
        System.out.println("Publish a video:  ./streamvl produce --bootstrap " + stack.bootstrapServers()
                + " --input FILE --stream cam-1 --realtime");
        System.out.println("Watch captions:   ./streamvl tail --bootstrap " + stack.bootstrapServers()
                + " streamvl.captions");
        System.out.println("Ask:              ./streamvl ask --bootstrap " + stack.bootstrapServers()
                + " --stream cam-1 --from -1min 'What happened?'");
        System.out.println("Ctrl-C to stop.");
        stopped.await();
        return 0;
    }
}

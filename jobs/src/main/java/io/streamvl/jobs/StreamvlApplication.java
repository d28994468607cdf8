package io.streamvl.jobs;

import io.streamvl.jobs.cli.StreamvlCli;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The job class of the cluster image (Flink application mode: the FlinkDeployment's entryClass and
 * docker-compose's {@code --job-classname}). It takes exactly the arguments of {@code streamvl run}
 * but, unlike {@link StreamvlCli#main}, never calls {@code System.exit}: Flink calls this
 * {@code main} inside the JobManager, so an exit would take the JobManager down with it, and a
 * failure must surface as an exception for Flink to report it with its cause.
 */
public final class StreamvlApplication {
    private StreamvlApplication() {}

    public static void main(String[] args) throws Exception {
        ParseResult run = parse(args);
        if (CommandLine.printHelpIfRequested(run)) {
            return;
        }
        ((Callable<?>) run.commandSpec().userObject()).call();
    }

    /**
     * Parses {@code args} as {@code streamvl} arguments and returns the {@code run} subcommand's
     * result; anything but {@code run [options]} is rejected.
     */
    public static ParseResult parse(String... args) {
        CommandLine cli = new CommandLine(new StreamvlCli());
        ParseResult top = cli.parseArgs(args);
        if (!top.hasSubcommand() || !"run".equals(top.subcommand().commandSpec().name())) {
            throw new CommandLine.ParameterException(cli,
                    "the application entry runs only 'run [--config FILE] [-D key=value]... [--bootstrap HOST:PORT]'");
        }
        return top.subcommand();
    }
}

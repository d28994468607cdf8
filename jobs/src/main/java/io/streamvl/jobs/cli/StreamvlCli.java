package io.streamvl.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `streamvl` command line: one entry point for every mode. */
@Command(name = "streamvl", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Streaming video understanding on Apache Flink.",
        subcommands = {DemoCommand.class, LocalCommand.class, RunCommand.class, ProduceCommand.class, AskCommand.class,
                TailCommand.class, BenchCommand.class, ModelCommand.class, ShapesCommand.class, EvalCommand.class,
                CommandLine.HelpCommand.class})
public final class StreamvlCli {
    public static void main(String[] args) {
        int code = execute(args);
        // Kafka, Flink and FFmpeg leave non-daemon threads behind; the command's work is done
        System.exit(code);
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new StreamvlCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("streamvl: " + messageOf(e));
            return cmd.getCommandSpec().exitCodeOnExecutionException();
        });
        return cli.execute(args);
    }

    static String messageOf(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}

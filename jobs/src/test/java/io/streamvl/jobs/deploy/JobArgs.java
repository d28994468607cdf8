package io.streamvl.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.jobs.StreamvlApplication;
import io.streamvl.jobs.config.StreamvlConfig;
import io.streamvl.jobs.config.StreamvlOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.ParseResult;

/** The job's configuration as the application entry builds it from a deployment's arguments. */
final class JobArgs {
    static final String CONFIG_PATH = "/opt/streamvl/conf/streamvl.yaml";

    private JobArgs() {}

    /**
     * Parses {@code args} exactly as {@link StreamvlApplication#main} does and loads the config they
     * name, with {@code configFile} standing in for the file mounted at {@link #CONFIG_PATH}.
     */
    static Configuration load(List<String> args, Path configFile) throws Exception {
        ParseResult run = StreamvlApplication.parse(args.toArray(String[]::new));
        Path config = run.matchedOptionValue("--config", null);
        assertThat(config).as("--config in %s", args).isEqualTo(Path.of(CONFIG_PATH));
        Map<String, String> overrides = new LinkedHashMap<>(run.matchedOptionValue("-D", Map.<String, String>of()));
        String bootstrap = run.matchedOptionValue("--bootstrap", null);
        if (bootstrap != null) {
            overrides.put(StreamvlOptions.BOOTSTRAP_SERVERS.key(), bootstrap);
        }
        return StreamvlConfig.load(configFile, overrides);
    }

    /** Every key of a streamvl config file is a streamvl option: a typo would silently be ignored. */
    static void assertOnlyKnownKeys(Map<String, String> flat) {
        List<String> known = StreamvlOptions.ALL.stream().map(o -> o.key()).toList();
        assertThat(known).containsAll(flat.keySet());
    }
}

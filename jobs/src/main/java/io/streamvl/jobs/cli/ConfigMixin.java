package io.streamvl.jobs.cli;

import io.streamvl.jobs.config.StreamvlConfig;
import io.streamvl.jobs.config.StreamvlOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Option;

/** The configuration options every command shares: a config file and -D overrides. */
public class ConfigMixin {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file of flat 'key: value' lines (keys in docs/configuration.md).")
    Path configFile;

    @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Set a config key, overriding the config file (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (same as -D streamvl.kafka.bootstrap-servers=...).")
    String bootstrap;

    Configuration load() throws Exception {
        Map<String, String> all = new LinkedHashMap<>(overrides);
        if (bootstrap != null) {
            all.put(StreamvlOptions.BOOTSTRAP_SERVERS.key(), bootstrap);
        }
        return StreamvlConfig.load(configFile, all);
    }
}

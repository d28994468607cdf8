package io.streamvl.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;

/** docs/configuration.md lists every option with its real default, and nothing that does not exist. */
class ConfigurationDocsTest {
    private static List<String> rows() throws Exception {
        Path docs = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "docs", "configuration.md");
        if (!Files.exists(docs)) {
            docs = Path.of("..", "docs", "configuration.md");
        }
        return Files.readAllLines(docs).stream().filter(l -> l.startsWith("| `streamvl."))
                .collect(Collectors.toList());
    }

    /** How the table shows the default: in backticks, or "(unset)" for an option without one. */
    private static String defaultText(ConfigOption<?> o) {
        Object d = o.defaultValue();
        if (d == null) {
            return "(unset)";
        }
        return "`" + (d instanceof Duration ? TimeUtils.formatWithHighestUnit((Duration) d) : String.valueOf(d)) + "`";
    }

    @Test
    void everyOptionIsDocumentedWithItsDefault() throws Exception {
        List<String> rows = rows();
        for (ConfigOption<?> o : StreamvlOptions.ALL) {
            assertThat(rows).as("row of %s", o.key())
                    .anyMatch(r -> r.startsWith("| `" + o.key() + "` | " + defaultText(o) + " |"));
        }
    }

    @Test
    void everyDocumentedKeyExists() throws Exception {
        List<String> keys = StreamvlOptions.ALL.stream().map(ConfigOption::key).collect(Collectors.toList());
        for (String row : rows()) {
            String key = row.substring(3, row.indexOf('`', 3));
            assertThat(keys).as("documented key").contains(key);
        }
    }
}

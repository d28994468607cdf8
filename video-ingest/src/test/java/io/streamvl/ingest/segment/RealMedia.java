package io.streamvl.ingest.segment;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real footage fetched by scripts/fetch-real-media.sh. */
final class RealMedia {
    private RealMedia() {}

    static String path(String name) {
        String dir = System.getProperty("streamvl.realmedia.dir", "target/realmedia");
        Path p = Path.of(dir, name);
        assumeThat(Files.isRegularFile(p)).as("real media " + p + " present").isTrue();
        return p.toString();
    }
}

package io.streamvl.ingest;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real clips fetched by scripts/fetch-real-media.sh; tests fail rather than skip without them. */
public final class RealMedia {
    private RealMedia() {}

    public static Path file(String name) {
        String dir = System.getProperty("streamvl.realmedia.dir");
        if (dir == null) {
            throw new IllegalStateException("system property streamvl.realmedia.dir is not set; run the tests"
                    + " through Maven, which fetches the clips with scripts/fetch-real-media.sh");
        }
        Path p = Path.of(dir, name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("real media file missing: " + p
                    + " (run scripts/fetch-real-media.sh)");
        }
        return p;
    }

    public static String path(String name) {
        return file(name).toString();
    }
}

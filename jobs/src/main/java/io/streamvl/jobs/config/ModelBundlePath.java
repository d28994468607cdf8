package io.streamvl.jobs.config;

import static io.streamvl.jobs.config.StreamvlOptions.MODEL_BUNDLE;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;

/**
 * Where streamvl.model.bundle points. A relative path names a bundle of the installation (the shipped demo
 * model by default), so it is resolved against the installation root rather than wherever the command
 * happens to run: system property {@value #HOME_PROPERTY} (the ./streamvl wrapper sets it), else environment
 * variable {@value #HOME_ENV} (the container image sets it), else the working directory.
 */
public final class ModelBundlePath {
    public static final String HOME_PROPERTY = "streamvl.home";
    public static final String HOME_ENV = "STREAMVL_HOME";

    private ModelBundlePath() {}

    /** The configured bundle as an absolute path; not checked to exist. */
    public static Path of(Configuration conf) {
        return resolve(conf, home());
    }

    /** The configured bundle as an installation rooted at {@code home} sees it. */
    public static Path resolve(Configuration conf, Path home) {
        Path configured = Path.of(conf.get(MODEL_BUNDLE));
        return configured.isAbsolute() ? configured.normalize() : home.resolve(configured).normalize();
    }

    /**
     * The configured bundle, which must be a directory: a job that cannot load its model should not start
     * at all, rather than fail in every task manager after the sources began reading.
     */
    public static Path existing(Configuration conf) {
        Path bundle = of(conf);
        if (!Files.isDirectory(bundle)) {
            throw new IllegalArgumentException("model bundle " + bundle + " does not exist (" + MODEL_BUNDLE.key()
                    + " = " + conf.get(MODEL_BUNDLE) + (Path.of(conf.get(MODEL_BUNDLE)).isAbsolute() ? ""
                    : ", resolved against the installation root " + home()) + "); set " + MODEL_BUNDLE.key()
                    + " to a llava-mini bundle directory");
        }
        return bundle;
    }

    static Path home() {
        String property = System.getProperty(HOME_PROPERTY);
        String env = System.getenv(HOME_ENV);
        String home = property != null && !property.isBlank() ? property : env != null && !env.isBlank() ? env : "";
        return Path.of(home).toAbsolutePath();
    }
}

package io.streamvl.operators.query;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which videos a query may make the job open. This is a security boundary: FFmpeg opens whatever its
 * protocols accept ({@code concat:}, {@code subfile,}, {@code pipe:}, {@code tcp:}, {@code data:}, ...), so
 * only three forms pass:
 * <ul>
 *   <li>{@code http://} and {@code https://} URLs with a host;</li>
 *   <li>{@code file:} URIs;</li>
 *   <li>absolute local paths. Relative ones are refused: they would resolve against the TaskManager's working
 *       directory, and FFmpeg reads a relative name such as {@code subfile,,0,10,:x} as a protocol.</li>
 * </ul>
 * Local files (paths and {@code file:}) can be confined to a root directory; the check follows symbolic
 * links and {@code ..} before comparing, so neither escapes it. URLs are not restricted by host: a deployment
 * that must not reach internal addresses (SSRF) needs an egress policy around the TaskManagers.
 */
public final class VideoUriPolicy implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    /** Null: any local file. */
    private final String fileRoot;

    private VideoUriPolicy(String fileRoot) {
        this.fileRoot = fileRoot;
    }

    /** Any absolute local path or {@code file:} URI, and http(s) URLs. */
    public static VideoUriPolicy anyLocalPath() {
        return new VideoUriPolicy(null);
    }

    /** Local files only under {@code root} (which need not exist yet), and http(s) URLs. */
    public static VideoUriPolicy localFilesUnder(Path root) {
        return new VideoUriPolicy(root.toAbsolutePath().normalize().toString());
    }

    /** Why {@code uri} must not be opened, or null when it may be. */
    public String problem(String uri) {
        if (uri == null || uri.isBlank()) {
            return "no video URI";
        }
        var scheme = SCHEME.matcher(uri);
        if (!scheme.find()) {
            return uri.startsWith("/") ? checkRoot(Path.of(uri))
                    : "relative path '" + uri + "': give an absolute path, a file: URI or an http(s) URL";
        }
        String name = scheme.group().substring(0, scheme.group().length() - 1).toLowerCase(Locale.ROOT);
        try {
            URI parsed = new URI(uri);
            switch (name) {
                case "http", "https" -> {
                    return parsed.getHost() == null ? "URL without a host: " + uri : null;
                }
                case "file" -> {
                    return checkRoot(Path.of(parsed));
                }
                default -> {
                    return "protocol '" + name + ":' is not accepted (only file:, http:, https: and absolute paths)";
                }
            }
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return "not a valid URI: " + e.getMessage();
        }
    }

    private String checkRoot(Path path) {
        if (fileRoot == null) {
            return null;
        }
        Path root = resolved(Path.of(fileRoot));
        return resolved(path).startsWith(root) ? null : "local file outside the allowed directory " + fileRoot;
    }

    /** The real path when it exists (links followed), else the normalised absolute path. */
    private static Path resolved(Path p) {
        try {
            return Files.exists(p) ? p.toRealPath() : p.toAbsolutePath().normalize();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    @Override
    public String toString() {
        return fileRoot == null ? "VideoUriPolicy{any local file}" : "VideoUriPolicy{local files under " + fileRoot + "}";
    }
}

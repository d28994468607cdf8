package io.streamvl.jobs.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the deployment files (docker-compose.yml, docker/, k8s/) the way their consumers do:
 * SnakeYAML resolves the anchors and merge keys compose uses, and {@link #render} applies a
 * kustomization as kustomize does for the kinds used here (resources, namespace, patches by path or
 * inline with an optional kind target; custom resources and these built-in kinds are patched with
 * JSON merge-patch semantics: maps merge, lists are replaced).
 */
final class DeployFiles {
    private DeployFiles() {}

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("docker-compose.yml"))) {
            p = p.getParent();
        }
        return Objects.requireNonNull(p, "no docker-compose.yml above the working directory");
    }

    static Path file(String relative) {
        return repoRoot().resolve(relative);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path file) throws IOException {
        return (Map<String, Object>) newYaml().load(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlDocuments(Path file) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object d : newYaml().loadAll(Files.readString(file))) {
            if (d != null) {
                docs.add((Map<String, Object>) d);
            }
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parseYaml(String text) {
        return (Map<String, Object>) newYaml().load(text);
    }

    private static Yaml newYaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    /** The resources a kustomization directory renders to. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> render(Path dir) throws IOException {
        Map<String, Object> k = yaml(dir.resolve("kustomization.yaml"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object r : (List<Object>) k.getOrDefault("resources", List.of())) {
            Path p = dir.resolve((String) r).normalize();
            out.addAll(Files.isDirectory(p) ? render(p) : yamlDocuments(p));
        }
        for (Object o : (List<Object>) k.getOrDefault("patches", List.of())) {
            Map<String, Object> entry = (Map<String, Object>) o;
            Map<String, Object> patch = entry.containsKey("path")
                    ? yaml(dir.resolve((String) entry.get("path"))) : parseYaml((String) entry.get("patch"));
            Map<String, Object> target = (Map<String, Object>) entry.get("target");
            int applied = 0;
            for (Map<String, Object> res : out) {
                boolean hit = target != null
                        ? target.get("kind").equals(res.get("kind"))
                                && (!target.containsKey("name") || target.get("name").equals(name(res)))
                        : patch.get("kind").equals(res.get("kind")) && name(patch).equals(name(res));
                if (hit) {
                    Map<String, Object> body = new LinkedHashMap<>(patch);
                    body.remove("metadata");
                    mergePatch(res, body);
                    applied++;
                }
            }
            if (applied == 0) {
                throw new IllegalStateException("patch " + entry + " in " + dir + " matches no resource (kustomize fails)");
            }
        }
        if (k.containsKey("namespace")) {
            for (Map<String, Object> res : out) {
                ((Map<String, Object>) res.get("metadata")).put("namespace", k.get("namespace"));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void mergePatch(Map<String, Object> target, Map<String, Object> patch) {
        patch.forEach((key, value) -> {
            if (value == null) {
                target.remove(key);
            } else if (value instanceof Map && target.get(key) instanceof Map) {
                mergePatch((Map<String, Object>) target.get(key), (Map<String, Object>) value);
            } else {
                target.put(key, deepCopy(value));
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static Object deepCopy(Object v) {
        if (v instanceof Map) {
            Map<String, Object> m = new LinkedHashMap<>();
            ((Map<String, Object>) v).forEach((k, x) -> m.put(k, deepCopy(x)));
            return m;
        }
        if (v instanceof List) {
            List<Object> l = new ArrayList<>();
            ((List<Object>) v).forEach(x -> l.add(deepCopy(x)));
            return l;
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    static String name(Map<String, Object> resource) {
        return (String) ((Map<String, Object>) resource.get("metadata")).get("name");
    }

    /** The value at a dotted path of nested maps ({@code "spec.job.args"}), or null. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object root, String path) {
        Object cur = root;
        for (String part : path.split("\\.")) {
            if (!(cur instanceof Map)) {
                return null;
            }
            cur = ((Map<String, Object>) cur).get(part);
        }
        return (T) cur;
    }

    /** What a Dockerfile says about the model: the installation root it sets and where it copies the demo model. */
    record ImageModel(Path home, Path demoBundle) {}

    static ImageModel imageModel(Path dockerfile) throws IOException {
        String text = Files.readString(dockerfile);
        Matcher home = Pattern.compile("\\bSTREAMVL_HOME=(\\S+)").matcher(text);
        Matcher copy = Pattern.compile("(?m)^COPY --chown=flink:flink bundles/streamvl-shapes (\\S+)$").matcher(text);
        if (!home.find() || !copy.find()) {
            throw new AssertionError(dockerfile + " neither sets STREAMVL_HOME nor copies bundles/streamvl-shapes");
        }
        return new ImageModel(Path.of(home.group(1)), Path.of(copy.group(1)));
    }

    /** The Dockerfile of an image name: the GPU image's for a -gpu tag. */
    static Path dockerfileOf(String image) {
        return file(image.endsWith("-gpu") ? "docker/Dockerfile.gpu" : "docker/Dockerfile");
    }

    static List<Map<String, Object>> ofKind(List<Map<String, Object>> resources, String kind) {
        return resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
    }

    static Map<String, Object> single(List<Map<String, Object>> resources, String kind) {
        List<Map<String, Object>> all = ofKind(resources, kind);
        if (all.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + all.size());
        }
        return all.get(0);
    }
}

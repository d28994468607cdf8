package io.streamvl.jobs.bench.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamvl.kafka.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;

/** What the benchmark reads of a running job through Flink's REST API, as an operator of the job would. */
final class FlinkRest {
    /** How often the REST API may fetch metrics from the task managers: it fetches only when asked. */
    private static final Duration METRICS_FETCH_INTERVAL = Duration.ofMillis(100);
    /** How long after a request the metrics it set off are fetched, with room for a loaded machine. */
    static final Duration METRICS_SETTLE = Duration.ofMillis(500);

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final JobID job;

    /** A task of the job's graph: its chained operators' names joined by " -> ", and its subtask count. */
    record Vertex(String id, String name, int parallelism) {}

    private FlinkRest(String baseUrl, JobID job) {
        this.base = baseUrl;
        this.job = job;
    }

    /** Has the MiniCluster serve its REST API on a free loopback port and fetch metrics whenever asked. */
    static Configuration configure(Configuration conf) throws IOException {
        Configuration c = new Configuration(conf);
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            c.set(RestOptions.BIND_PORT, String.valueOf(s.getLocalPort()));
        }
        c.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, METRICS_FETCH_INTERVAL);
        return c;
    }

    /** The REST API of the job that runs with a configuration from {@link #configure}. */
    static FlinkRest of(Configuration configured, JobID job) {
        return new FlinkRest("http://127.0.0.1:" + configured.get(RestOptions.BIND_PORT), job);
    }

    List<Vertex> vertices() throws IOException, InterruptedException {
        List<Vertex> out = new ArrayList<>();
        for (JsonNode v : get("/jobs/" + job).path("vertices")) {
            out.add(new Vertex(v.path("id").asText(), v.path("name").asText(), v.path("parallelism").asInt()));
        }
        return out;
    }

    /** The metrics of {@code ids} that each subtask of the vertex has, by subtask index. */
    List<Map<String, Double>> metrics(Vertex vertex, Collection<String> ids) throws IOException, InterruptedException {
        String query = URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8);
        List<Map<String, Double>> out = new ArrayList<>();
        for (int i = 0; i < vertex.parallelism(); i++) {
            Map<String, Double> values = new HashMap<>();
            // per subtask: the aggregating endpoint answers nothing at all when one id is missing
            for (JsonNode m : get("/jobs/" + job + "/vertices/" + vertex.id() + "/subtasks/" + i + "/metrics?get="
                    + query)) {
                values.put(m.path("id").asText(), Double.parseDouble(m.path("value").asText()));
            }
            out.add(values);
        }
        return out;
    }

    /** The job's checkpoint statistics: counts, summary, latest completed. */
    JsonNode checkpoints() throws IOException, InterruptedException {
        return get("/jobs/" + job + "/checkpoints");
    }

    /** One checkpoint's statistics, with its size per vertex under {@code tasks}. */
    JsonNode checkpoint(long id) throws IOException, InterruptedException {
        return get("/jobs/" + job + "/checkpoints/details/" + id);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("Flink REST GET " + path + ": HTTP " + r.statusCode());
        }
        return Json.MAPPER.readTree(r.body());
    }
}

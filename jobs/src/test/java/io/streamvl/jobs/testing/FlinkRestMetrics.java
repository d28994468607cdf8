package io.streamvl.jobs.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamvl.kafka.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;

/** Reads a running job's metrics the way an operator would: over Flink's REST API. */
public final class FlinkRestMetrics {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    public FlinkRestMetrics(String restUrl) {
        this.base = restUrl.endsWith("/") ? restUrl.substring(0, restUrl.length() - 1) : restUrl;
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " -> " + r.statusCode());
        }
        return Json.MAPPER.readTree(r.body());
    }

    /**
     * Every vertex of the job with its status, records read and written, and its subtasks' input watermarks: what
     * to look at when a test waits in vain for an output.
     */
    public String describe(JobID job) {
        StringBuilder out = new StringBuilder();
        try {
            for (JsonNode v : get("/jobs/" + job).path("vertices")) {
                out.append("\n  ").append(v.path("name").asText()).append(": ").append(v.path("status").asText())
                        .append(", read ").append(v.path("metrics").path("read-records").asText())
                        .append(", wrote ").append(v.path("metrics").path("write-records").asText())
                        .append(", watermarks ");
                for (JsonNode w : get("/jobs/" + job + "/vertices/" + v.path("id").asText() + "/watermarks")) {
                    out.append(w.path("id").asText()).append('=').append(w.path("value").asText()).append(' ');
                }
            }
        } catch (Exception e) {
            out.append("\n  (REST API: ").append(e).append(')');
        }
        return out.toString();
    }

    /**
     * {@link #operatorMetrics} once they include {@code metric}: the REST API serves metrics it fetched from the
     * task managers up to {@code metrics.fetcher.update-interval} (10 s) earlier.
     */
    public Map<String, Double> awaitOperatorMetrics(JobID job, String operator, String metric) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Map<String, Double> metrics = operatorMetrics(job, operator);
        while (!metrics.containsKey(metric) && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            metrics = operatorMetrics(job, operator);
        }
        return metrics;
    }

    /**
     * Sum over subtasks of the metrics of operator {@code operator} (ids starting with its name) in
     * the vertex whose name contains it.
     */
    public Map<String, Double> operatorMetrics(JobID job, String operator) throws Exception {
        String vertexId = null;
        for (JsonNode v : get("/jobs/" + job).path("vertices")) {
            if (v.path("name").asText().contains(operator)) {
                vertexId = v.path("id").asText();
            }
        }
        if (vertexId == null) {
            throw new AssertionError("no vertex with operator " + operator);
        }
        String path = "/jobs/" + job + "/vertices/" + vertexId + "/subtasks/metrics";
        StringBuilder ids = new StringBuilder();
        for (JsonNode m : get(path)) {
            String id = m.path("id").asText();
            if (id.startsWith(operator + ".")) {
                ids.append(ids.length() == 0 ? "" : ",").append(id);
            }
        }
        Map<String, Double> sums = new HashMap<>();
        for (JsonNode m : get(path + "?agg=sum&get=" + URLEncoder.encode(ids.toString(), StandardCharsets.UTF_8))) {
            sums.put(m.path("id").asText(), m.path("sum").asDouble());
        }
        return sums;
    }
}

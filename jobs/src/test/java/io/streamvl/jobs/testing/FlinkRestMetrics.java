package io.streamvl.jobs.ingest;

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
import org.apache.flink.api.common.JobID;

/** Reads a running job's metrics the way an operator would: over Flink's REST API. */
final class FlinkRestMetrics {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    FlinkRestMetrics(String restUrl) {
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
     * Sum over subtasks of the metrics of operator {@code operator} (ids starting with its name) in
     * the vertex whose name contains it.
     */
    Map<String, Double> operatorMetrics(JobID job, String operator) throws Exception {
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

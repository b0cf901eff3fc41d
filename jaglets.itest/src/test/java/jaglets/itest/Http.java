package jaglets.itest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/** A plain JDK HTTP client for black-box tests of a host's API. */
final class Http {
    /** A status and a parsed JSON body. */
    record Reply(int status, JsonNode body, HttpResponse<String> raw) {
        String errorType() {
            return body.path("error_type").asText();
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String key;

    Http(String base, String key) {
        this.base = base;
        this.key = key;
    }

    Reply get(String path) {
        return send(builder(path).GET().build());
    }

    Reply post(String path, String json) {
        return send(builder(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    Reply delete(String path) {
        return send(builder(path).DELETE().build());
    }

    /** The names of the hosts {@code GET /hosts} shows online. */
    Set<String> onlineHosts() {
        Set<String> names = new TreeSet<>();
        for (JsonNode h : get("/hosts").body().path("hosts")) {
            if (h.path("online").asBoolean()) {
                names.add(h.path("name").asText());
            }
        }
        return names;
    }

    /** The {@code GET /hosts} entry of the named host, or null. */
    JsonNode hostEntry(String name) {
        for (JsonNode h : get("/hosts").body().path("hosts")) {
            if (h.path("name").asText().equals(name)) {
                return h;
            }
        }
        return null;
    }

    Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? HostProcess.JSON.createObjectNode()
                    : HostProcess.JSON.readTree(response.body());
            return new Reply(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder builder(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }
}

package jaglets.bench.http;

import jaglets.bench.report.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One {@code java.net.http} client for one host, as {@code HostClient} uses it: HTTP/1.1,
 * connections kept alive and shared by every thread, its steps run on the thread that reads a
 * response (no hand-over to a pool). It carries the measured keep-alive requests and the
 * benchmark's own calls (health, create, dispose). Thread-safe.
 */
final class JdkHttp implements AutoCloseable {
    private final String baseUrl;
    private final Duration timeout;
    private final HttpClient client;

    JdkHttp(String baseUrl, Duration timeout) {
        this.baseUrl = baseUrl;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .executor(Runnable::run).build();
    }

    /** An answer as text. */
    record Reply(int status, String body) {
        Map<String, Object> json() {
            return Json.parseObject(body);
        }
    }

    Reply get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .header("Accept", "application/json").GET().build());
    }

    Reply post(String path, byte[] json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build());
    }

    Reply post(String path, String json) throws IOException, InterruptedException {
        return post(path, json.getBytes(StandardCharsets.UTF_8));
    }

    /** A POST whose answer must be a 200; its JSON body. */
    Map<String, Object> postOk(String path, String json) throws IOException, InterruptedException {
        Reply reply = post(path, json);
        if (reply.status() != 200) {
            throw new IOException("POST " + path + " answered " + reply.status() + ": " + reply.body());
        }
        return reply.json();
    }

    /** A GET whose answer must be a 200; its JSON body. */
    Map<String, Object> getOk(String path) throws IOException, InterruptedException {
        Reply reply = get(path);
        if (reply.status() != 200) {
            throw new IOException("GET " + path + " answered " + reply.status() + ": " + reply.body());
        }
        return reply.json();
    }

    private Reply send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body());
    }

    /**
     * Nothing to release by hand: the client's one thread and its kept connections go once it is
     * no longer reachable (the JDK 17 client has no {@code close}).
     */
    @Override
    public void close() {
    }
}

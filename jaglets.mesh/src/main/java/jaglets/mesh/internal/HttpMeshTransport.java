package jaglets.mesh.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.mesh.HostRef;
import jaglets.mesh.HostRefs;
import jaglets.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** Gossip over {@code POST <host>/hosts/join}, with this host's API key. */
final class HttpMeshTransport implements MeshTransport {
    private final HttpClient http;
    private final String apiKey;
    private final Duration timeout;

    HttpMeshTransport(String apiKey, Duration timeout) {
        this.apiKey = apiKey == null || apiKey.isEmpty() ? null : apiKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    @Override
    public List<HostRef> exchange(String targetUrl, HostRef self, List<HostRef> known) throws IOException,
            InterruptedException {
        ObjectNode body = HostRefs.toWire(self);
        body.set("hosts", HostRefs.toWire(known));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(targetUrl + "/hosts/join")).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body)));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode reply = Json.MAPPER.readTree(response.body());
        if (response.statusCode() != 200) {
            throw new IOException("answered " + response.statusCode() + ": " + reply.path("error").asText());
        }
        return HostRefs.listFromWire(reply.path("hosts"));
    }
}

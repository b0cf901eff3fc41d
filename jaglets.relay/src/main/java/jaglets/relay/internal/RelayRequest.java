package jaglets.relay.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.protocol.Json;
import java.io.IOException;
import java.util.Base64;

/**
 * One API request a hub relays to a node, as it arrived: the node replays it against its own API,
 * so every route works through the relay without a second router.
 *
 * @param path the path below the node's relay URL, still percent-encoded, starting with {@code /}
 * @param query the raw query string, or {@code null}
 * @param contentType the request's content type, or {@code null}
 */
record RelayRequest(String method, String path, String query, String contentType, byte[] body) {

    RelayRequest {
        body = body == null ? new byte[0] : body;
    }

    /** {@code {method, path, query, content_type, body}}, the body in base64. */
    ObjectNode toWire() {
        ObjectNode node = Json.object();
        node.put("method", method);
        node.put("path", path);
        node.put("query", query);
        node.put("content_type", contentType);
        node.put("body", Base64.getEncoder().encodeToString(body));
        return node;
    }

    static RelayRequest fromWire(JsonNode node) {
        if (!node.path("method").isTextual() || !node.path("path").isTextual()
                || !node.path("path").asText().startsWith("/")) {
            throw new JagletException(ErrorType.BAD_REQUEST, "a relayed request needs a 'method' and a 'path' starting with /");
        }
        byte[] body;
        try {
            body = node.path("body").isTextual() ? node.get("body").binaryValue() : new byte[0];
        } catch (IOException | IllegalArgumentException e) {
            throw new JagletException(ErrorType.BAD_REQUEST, "a relayed request's 'body' must be base64");
        }
        return new RelayRequest(node.get("method").asText(), node.get("path").asText(), text(node, "query"),
                text(node, "content_type"), body);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    @Override
    public String toString() {
        return method + " " + path + (query == null ? "" : "?" + query);
    }
}

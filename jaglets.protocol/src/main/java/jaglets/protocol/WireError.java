package jaglets.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.AgentMovedException;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.JagletProxyRef;

/** Errors on the wire: {@code {"error_type": ..., "error": ...}}, as paglets writes them. */
public final class WireError {

    private WireError() {
    }

    public static ObjectNode toWire(Throwable error) {
        ObjectNode node = Json.object();
        JagletException je = asJagletException(error);
        node.put("error_type", je.type().wireName());
        node.put("error", je.getMessage());
        if (je instanceof AgentMovedException moved) {
            ObjectNode to = node.putObject("moved_to");
            to.put("host_url", moved.location().hostUrl());
            to.put("agent_id", moved.location().agentId());
        }
        return node;
    }

    public static JagletException fromWire(JsonNode node) {
        ErrorType type = ErrorType.fromWireName(node.path("error_type").asText());
        JsonNode movedTo = node.path("moved_to");
        if (type == ErrorType.INVALID_AGENT && movedTo.path("host_url").isTextual()
                && movedTo.path("agent_id").isTextual()) {
            String id = movedTo.get("agent_id").asText();
            return new AgentMovedException(id, new JagletProxyRef(movedTo.get("host_url").asText(), id));
        }
        return new JagletException(type, node.path("error").asText("unknown error"));
    }

    /** Any throwable as a jaglets error: foreign exceptions become HOST errors naming their class. */
    public static JagletException asJagletException(Throwable error) {
        if (error instanceof JagletException je) {
            return je;
        }
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof JagletException je) {
            return je;
        }
        String message = cause.getMessage() == null ? cause.getClass().getName()
                : cause.getClass().getName() + ": " + cause.getMessage();
        return new JagletException(ErrorType.HOST, message, cause);
    }
}

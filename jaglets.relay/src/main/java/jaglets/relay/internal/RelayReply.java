package jaglets.relay.internal;

import jaglets.api.JagletException;
import jaglets.protocol.Json;
import jaglets.protocol.WireError;
import java.nio.charset.StandardCharsets;

/** A node's answer to a relayed request, passed on unchanged: status, content type and body. */
record RelayReply(int status, String contentType, byte[] body) {

    RelayReply {
        body = body == null ? new byte[0] : body;
    }

    /** An answer in the API's error shape, {@code {"error_type", "error"}}. */
    static RelayReply error(JagletException error) {
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(WireError.toWire(error));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            bytes = ("{\"error_type\":\"" + error.type().wireName() + "\"}").getBytes(StandardCharsets.UTF_8);
        }
        return new RelayReply(error.type().httpStatus(), "application/json", bytes);
    }
}

package jaglets.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import jaglets.api.DeactivationPolicy;
import jaglets.api.DeactivationRequest;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.Message;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WireFormatTest {

    private static final long TIMESTAMP_MILLIS = 1_700_000_000_123L;

    /** Through text, as the value travels between processes. */
    private static JsonNode overTheWire(JsonNode node) throws IOException {
        return Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(node));
    }

    private static JsonNode parse(String json) throws IOException {
        return Json.MAPPER.readTree(json);
    }

    private static ErrorType messageErrorOf(String json) throws IOException {
        JsonNode node = parse(json);
        return assertThrows(JagletException.class, () -> WireFormat.message(node)).type();
    }

    @Test
    void messageRoundTripKeepsEveryField() throws Exception {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("count", 3);
        args.put("nested", Map.of("list", List.of("a", 2)));
        args.put("blob", new byte[] {1, 2, 3});
        Message sent = new Message("compute", args, "single", "host-a:7000", 7, TIMESTAMP_MILLIS, "message-1");

        Message received = WireFormat.message(overTheWire(WireFormat.message(sent)));

        assertEquals("compute", received.kind());
        assertEquals("single", received.arg());
        assertEquals("host-a:7000", received.sender());
        assertEquals(7, received.priority());
        assertEquals("message-1", received.messageId());
        assertEquals(TIMESTAMP_MILLIS, received.timestamp());
        assertEquals(3L, received.args().get("count"));
        assertEquals(Map.of("list", List.of("a", 2L)), received.args().get("nested"));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) received.args().get("blob"));
    }

    @Test
    void messageTimestampIsWrittenInSeconds() {
        JsonNode wire = WireFormat.message(new Message("k", null, null, null, 5, TIMESTAMP_MILLIS, "id"));
        assertEquals(1_700_000_000.123, wire.get("timestamp").doubleValue(), 1e-6);
        assertEquals("id", wire.get("message_id").asText());
        assertTrue(wire.get("args").isObject());
    }

    @Test
    void messageWithOnlyAKindGetsDefaults() throws Exception {
        long before = System.currentTimeMillis();
        Message message = WireFormat.message(parse("{\"kind\":\"ping\"}"));
        assertEquals(Message.NORMAL_PRIORITY, message.priority());
        assertEquals(Map.of(), message.args());
        assertNull(message.arg());
        assertNull(message.sender());
        assertFalse(message.messageId().isBlank());
        assertTrue(message.timestamp() >= before, "a message without a timestamp is stamped on arrival");
    }

    @Test
    void unqueuedPriorityTravels() throws Exception {
        Message sent = Message.of("urgent").withPriority(Message.UNQUEUED_PRIORITY);
        assertEquals(Message.UNQUEUED_PRIORITY, WireFormat.message(overTheWire(WireFormat.message(sent))).priority());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"args\":{}}",
        "{\"kind\":null}",
        "{\"kind\":42}",
        "{\"kind\":\"\"}",
        "{\"kind\":\"k\",\"args\":[1,2]}",
        "{\"kind\":\"k\",\"args\":\"a=1\"}",
        "{\"kind\":\"k\",\"priority\":\"5\"}",
        "{\"kind\":\"k\",\"priority\":5.5}",
        "{\"kind\":\"k\",\"priority\":11}",
        "{\"kind\":\"k\",\"priority\":-1}",
        "[\"k\"]",
        "\"k\""
    })
    void malformedMessageIsABadRequest(String json) throws Exception {
        assertEquals(ErrorType.BAD_REQUEST, messageErrorOf(json));
    }

    @Test
    void missingMessageIsABadRequest() {
        assertEquals(ErrorType.BAD_REQUEST,
                assertThrows(JagletException.class, () -> WireFormat.message((JsonNode) null)).type());
    }

    @Test
    void policyRoundTripKeepsTheTimerToTheMillisecond() throws Exception {
        DeactivationPolicy sent = new DeactivationPolicy(false, true, true, Instant.ofEpochMilli(TIMESTAMP_MILLIS));
        JsonNode wire = WireFormat.policy(sent);
        assertEquals(1_700_000_000.123, wire.get("activate_at").doubleValue(), 1e-6);
        assertEquals(sent, WireFormat.policy(overTheWire(wire)));
    }

    @Test
    void policyWithoutTimerRoundTrips() throws Exception {
        JsonNode wire = WireFormat.policy(DeactivationPolicy.DEFAULT);
        assertTrue(wire.get("activate_at").isNull());
        assertEquals(DeactivationPolicy.DEFAULT, WireFormat.policy(overTheWire(wire)));
    }

    @Test
    void missingPolicyFieldsTakeTheDefaults() throws Exception {
        assertEquals(DeactivationPolicy.DEFAULT.withActivateOnStartup(true),
                WireFormat.policy(parse("{\"activate_on_startup\":true}")));
        assertNull(WireFormat.policy((JsonNode) null));
        assertNull(WireFormat.policy(parse("null")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"activate_on_message\":\"yes\"}",
        "{\"queue_messages_when_inactive\":1}",
        "{\"activate_on_startup\":\"true\"}",
        "{\"activate_at\":\"2030-01-01T00:00:00Z\"}",
        "{\"activate_at\":true}",
        "[true]",
        "\"default\""
    })
    void illTypedPolicyIsABadRequest(String json) throws Exception {
        JsonNode node = parse(json);
        assertEquals(ErrorType.BAD_REQUEST,
                assertThrows(JagletException.class, () -> WireFormat.policy(node)).type());
    }

    @Test
    void requestRoundTripKeepsReasonSourcePolicyAndMetadata() throws Exception {
        DeactivationRequest sent = new DeactivationRequest("maintenance", "host",
                DeactivationPolicy.DEFAULT.withActivateAt(Instant.ofEpochMilli(TIMESTAMP_MILLIS)),
                Map.of("ticket", "OPS-1", "attempt", 2L));
        assertEquals(sent, WireFormat.request(overTheWire(WireFormat.request(sent))));
    }

    @Test
    void requestWithoutPolicyRoundTrips() throws Exception {
        DeactivationRequest sent = DeactivationRequest.self("done", null);
        assertEquals(sent, WireFormat.request(overTheWire(WireFormat.request(sent))));
    }

    @Test
    void missingRequestIsAnExternalDeactivate() {
        assertEquals(DeactivationRequest.external(null), WireFormat.request((JsonNode) null));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"metadata\":[1]}",
        "{\"metadata\":\"x\"}",
        "{\"policy\":{\"activate_at\":\"soon\"}}",
        "{\"policy\":true}",
        "[\"deactivate\"]"
    })
    void illTypedRequestIsABadRequest(String json) throws Exception {
        JsonNode node = parse(json);
        assertEquals(ErrorType.BAD_REQUEST,
                assertThrows(JagletException.class, () -> WireFormat.request(node)).type());
    }
}

package jaglets.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.ArrivalMode;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

    private static Envelope envelope(BundleCompatibility compatibility) {
        ObjectNode state = Json.object();
        state.put("count", 2);
        return new Envelope("t1", Envelope.Kind.DISPATCH, "agent-1", null, "x.Agent", "x.bundle", "1.0.0", "abc",
                compatibility, state, "alpha", "http://a", "beta", "http://b", ArrivalMode.ACTIVATE);
    }

    private static JsonNode overTheWire(JsonNode node) throws Exception {
        return Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(node));
    }

    @Test
    void theDeclaredCompatibilityTravelsWithTheBundle() throws Exception {
        Envelope sent = envelope(BundleCompatibility.MAJOR);
        JsonNode wire = overTheWire(sent.toWire());

        assertEquals("major", wire.path("bundle").path("compatibility").asText());
        assertEquals(sent, Envelope.fromWire(wire));
    }

    @Test
    void anEnvelopeWithoutACompatibilityMeansExact() throws Exception {
        ObjectNode wire = (ObjectNode) overTheWire(envelope(BundleCompatibility.MAJOR).toWire());
        ((ObjectNode) wire.get("bundle")).remove("compatibility");

        assertEquals(BundleCompatibility.EXACT, Envelope.fromWire(wire).bundleCompatibility());
        assertEquals(BundleCompatibility.EXACT, envelope(null).bundleCompatibility());
    }

    @Test
    void aCompatibilityThisHostDoesNotKnowMeansExact() throws Exception {
        ObjectNode wire = (ObjectNode) overTheWire(envelope(BundleCompatibility.MAJOR).toWire());
        ((ObjectNode) wire.get("bundle")).put("compatibility", "minor");

        assertEquals(BundleCompatibility.EXACT, Envelope.fromWire(wire).bundleCompatibility());
    }
}

package jaglets.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings from framework properties, and what a host in connect mode needs before it starts. */
class RelaySettingsTest {

    private static RelaySettings read(Map<String, String> properties) {
        return RelaySettings.read(properties::get);
    }

    @Test
    void defaultsMakeEveryHostAHub() {
        RelaySettings settings = read(Map.of());
        assertFalse(settings.connectMode());
        assertEquals(Duration.ofSeconds(10), settings.offlineAfter());
        assertEquals(Duration.ofSeconds(30), settings.deliveryTimeout());
        assertEquals(1024, settings.queueLimit());
        assertEquals(64L * 1024 * 1024, settings.maxBody());
        assertEquals("JAGLETS_API_KEY", settings.apiKeyVariable());
        assertEquals(Duration.ofSeconds(1), settings.heartbeat());
        assertEquals("http://127.0.0.1:8765", settings.localApi());
    }

    @Test
    void aNodeIsReachedAtItsHubsRelayRouteForItsName() {
        RelaySettings settings = read(Map.of("jaglets.relay.connect", "hub.example:8765/", "jaglets.name", "behind nat",
                "org.apache.felix.http.host", "0.0.0.0", "org.osgi.service.http.port", "9001"));
        assertTrue(settings.connectMode());
        assertEquals("http://hub.example:8765", settings.connectTo());
        assertEquals("http://hub.example:8765/relay/hosts/behind%20nat", settings.relayAddress());
        assertEquals("http://127.0.0.1:9001", settings.localApi(), "replayed on loopback");
    }

    @Test
    void connectModeNeedsAKeyAndTheRelayAddress() {
        RelaySettings settings = read(Map.of("jaglets.relay.connect", "http://hub:8765", "jaglets.name", "b"));
        assertTrue(RelayClient.problem(settings, null, "http://hub:8765/relay/hosts/b").contains("JAGLETS_API_KEY"));
        assertTrue(RelayClient.problem(settings, "", "http://hub:8765/relay/hosts/b").contains("needs an API key"));
        String address = RelayClient.problem(settings, "k", "http://127.0.0.1:8765");
        assertTrue(address.contains("jaglets.address") && address.contains("http://hub:8765/relay/hosts/b"), address);
        assertNull(RelayClient.problem(settings, "k", "http://hub:8765/relay/hosts/b"));
        assertNull(RelayClient.problem(settings, "k", "https://public.example/jaglets/relay/hosts/b/"),
                "a public URL of the hub in front of it will do");
    }
}

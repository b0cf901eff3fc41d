package jaglets.mesh.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mesh's settings as framework properties give them. */
class MeshSettingsTest {

    private static MeshSettings read(Map<String, String> properties) {
        return MeshSettings.read(properties::get, "jaglets-1.0.0");
    }

    @Test
    void withoutPropertiesTheDocumentedDefaultsApply() {
        MeshSettings settings = read(Map.of());
        assertTrue(settings.enabled());
        assertEquals("jaglets-1.0.0", settings.version());
        assertEquals(List.of(), settings.seeds());
        assertEquals(Duration.ofSeconds(1), settings.gossipInterval());
        assertEquals(Duration.ofSeconds(10), settings.offlineAfter());
        assertEquals(3, settings.fanout());
        assertTrue(settings.multicast());
        assertEquals(new InetSocketAddress("239.42.74.53", 48765), settings.multicastGroup());
        assertEquals("JAGLETS_API_KEY", settings.apiKeyVariable());
        assertEquals(Duration.ofSeconds(3), settings.exchangeTimeout());
    }

    @Test
    void listsAreTrimmedAndTagsNormalised() {
        MeshSettings settings = read(Map.of("jaglets.tags", "GPU, fast ,gpu,", "jaglets.properties", "zone = z1,bad,x=",
                "jaglets.mesh.peers", " http://a:1 ,,b:2", "jaglets.mesh.multicast", "false"));
        assertEquals(List.of("fast", "gpu"), settings.tags());
        assertEquals(Map.of("zone", "z1", "x", ""), settings.properties());
        assertEquals(List.of("http://a:1", "b:2"), settings.seeds());
        assertFalse(settings.multicast());
    }

    @Test
    void theMulticastGroupMustBeAMulticastAddress() {
        assertEquals(new InetSocketAddress("239.1.2.3", 40000),
                read(Map.of("jaglets.mesh.multicast.group", "239.1.2.3", "jaglets.mesh.multicast.port", "40000"))
                        .multicastGroup());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> read(Map.of("jaglets.mesh.multicast.group", "10.0.0.1"))).getMessage()
                .contains("not a multicast address"));
        assertThrows(IllegalArgumentException.class, () -> read(Map.of("jaglets.mesh.multicast.port", "70000")));
        assertThrows(NumberFormatException.class, () -> read(Map.of("jaglets.mesh.multicast.port", "many")));
    }

    @Test
    void oneSlowExchangeAndAGossipIntervalEitherSideFitWithinTheOfflineExpiry() {
        long[][] intervalAndExpiry = {{1000, 10000}, {300, 3000}, {200, 2000}, {1000, 4000}, {1000, 3000}, {50, 500}};
        for (long[] pair : intervalAndExpiry) {
            MeshSettings settings = read(Map.of("jaglets.mesh.gossip.ms", String.valueOf(pair[0]),
                    "jaglets.mesh.offline.ms", String.valueOf(pair[1])));
            Duration silence = settings.exchangeTimeout().plus(settings.gossipInterval().multipliedBy(2));
            assertTrue(silence.compareTo(settings.offlineAfter()) <= 0, "gossip " + pair[0] + " ms, expiry "
                    + pair[1] + " ms: exchange timeout " + settings.exchangeTimeout());
            assertTrue(settings.exchangeTimeout().compareTo(settings.gossipInterval()) >= 0);
        }
    }
}

package jaglets.mesh.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.mesh.HostRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Gossip membership over an in-memory transport with a hand-driven clock. */
class GossipMeshTest {

    /** A clock the test moves. */
    static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-11-21T12:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /**
     * Hosts in one JVM that reach each other by URL; unreachable ones fail. A host can be made to
     * answer its next exchange slowly: the clock moves on by that long while the caller waits.
     */
    final class Network implements MeshTransport {
        final Map<String, GossipMesh> hosts = new HashMap<>();
        final Set<String> down = new java.util.HashSet<>();
        final Map<String, AtomicInteger> sentBy = new HashMap<>();
        final Map<String, Duration> slowOnce = new HashMap<>();
        /** Runs after every exchange, answered or failed. */
        Runnable afterExchange = () -> { };
        /** Whether a slow answer misses the caller's timeout (else it arrives late). */
        boolean slowAnswerTimesOut;

        @Override
        public List<HostRef> exchange(String targetUrl, HostRef self, List<HostRef> known) throws Exception {
            try {
                sentBy.computeIfAbsent(self.url(), u -> new AtomicInteger()).incrementAndGet();
                GossipMesh target = hosts.get(targetUrl);
                if (target == null || down.contains(targetUrl) || down.contains(self.url())) {
                    throw new java.io.IOException("connection refused");
                }
                Duration slow = slowOnce.remove(targetUrl);
                if (slow != null) {
                    clock.advance(slow);
                    if (slowAnswerTimesOut) {
                        throw new java.net.http.HttpTimeoutException("request timed out");
                    }
                }
                return target.join(self, known);
            } finally {
                afterExchange.run();
            }
        }
    }

    private final ManualClock clock = new ManualClock();
    private final Network network = new Network();

    private GossipMesh host(String name, String version, List<String> seeds) {
        String url = "http://" + name + ":8765";
        GossipMesh mesh = new GossipMesh(() -> new HostRef(name, url, version, true, clock.instant(), 0, 0,
                List.of("t-" + name), Map.of("zone", "z1"), null), seeds, network, Duration.ofSeconds(10), 3, true,
                clock, new Random(name.hashCode()));
        network.hosts.put(url, mesh);
        return mesh;
    }

    private void rounds(int n) {
        for (int i = 0; i < n; i++) {
            network.hosts.values().forEach(GossipMesh::gossipOnce);
            clock.advance(Duration.ofSeconds(1));
        }
    }

    private static Set<String> onlineNames(GossipMesh mesh) {
        Set<String> names = new java.util.TreeSet<>();
        mesh.hosts().stream().filter(HostRef::online).forEach(h -> names.add(h.name()));
        return names;
    }

    @Test
    void threeHostsJoinedThroughOneSeedSeeEachOther() {
        GossipMesh a = host("a", "v1", List.of());
        GossipMesh b = host("b", "v1", List.of("a:8765"));
        GossipMesh c = host("c", "v1", List.of("http://a:8765/"));
        rounds(3);
        for (GossipMesh mesh : List.of(a, b, c)) {
            assertEquals(Set.of("a", "b", "c"), onlineNames(mesh));
        }
        HostRef seenByC = c.lookup("b").orElseThrow();
        assertEquals(List.of("t-b"), seenByC.tags());
        assertEquals("z1", seenByC.properties().get("zone"));
        assertEquals("http://b:8765", c.resolveUrl("b"));
        assertEquals("http://b:8765", c.lookup("http://b:8765/").orElseThrow().url());
    }

    @Test
    void twoHundredHostsConvergeWithBoundedMessagesPerRound() {
        List<GossipMesh> hosts = new ArrayList<>();
        hosts.add(host("h0", "v1", List.of()));
        for (int i = 1; i < 200; i++) {
            hosts.add(host("h" + i, "v1", List.of("h0:8765")));
        }
        int rounds = 0;
        while (hosts.stream().anyMatch(h -> h.hosts().stream().filter(HostRef::online).count() < 200)) {
            network.sentBy.clear();
            rounds(1);
            rounds++;
            int most = network.sentBy.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
            assertTrue(most <= 3, "a host sent " + most + " messages in one round");
            assertTrue(rounds <= 15, "not converged after " + rounds + " rounds");
        }
    }

    @Test
    void aHostOfAnotherVersionIsNeverRegistered() {
        GossipMesh a = host("a", "v1", List.of());
        GossipMesh odd = host("odd", "v2", List.of("a:8765"));
        GossipMesh b = host("b", "v1", List.of("a:8765"));
        rounds(3);
        assertEquals(Set.of("a", "b"), onlineNames(a));
        assertEquals(Set.of("a", "b"), onlineNames(b));
        assertEquals(Set.of("odd"), onlineNames(odd));
    }

    @Test
    void aSilentHostGoesOfflineOnlyAfterTheExpiry() {
        GossipMesh a = host("a", "v1", List.of());
        host("b", "v1", List.of("a:8765"));
        rounds(2);
        assertTrue(a.lookup("b").orElseThrow().online());
        network.down.add("http://b:8765");
        rounds(5); // well within 10 s: failed exchanges alone do not flip it
        assertTrue(a.lookup("b").orElseThrow().online());
        rounds(6);
        HostRef b = a.lookup("b").orElseThrow();
        assertFalse(b.online());
        assertTrue(b.error() != null);
        network.down.clear();
        rounds(3);
        assertTrue(a.lookup("b").orElseThrow().online(), "it rejoins once it answers again");
    }

    /** Every host of {@code hosts} that some host shows offline, as "viewer: host". */
    private static List<String> offlineViews(List<GossipMesh> hosts) {
        List<String> offline = new ArrayList<>();
        for (GossipMesh viewer : hosts) {
            viewer.hosts().stream().filter(h -> !h.online()).forEach(h -> offline.add(viewer.self().name() + ": "
                    + h.name() + " (" + h.error() + ")"));
        }
        return offline;
    }

    @Test
    void aPeerAnsweringSlowlyOnceIsNotMarkedOffline() {
        Duration exchangeTimeout = MeshSettings.read(Map.<String, String>of()::get, "v1").exchangeTimeout();
        for (boolean timesOut : List.of(true, false)) {
            network.hosts.clear();
            GossipMesh a = host("a", "v1", List.of());
            GossipMesh b = host("b", "v1", List.of("a:8765"));
            GossipMesh c = host("c", "v1", List.of("a:8765"));
            rounds(3);
            List<GossipMesh> all = List.of(a, b, c);
            assertEquals(List.of(), offlineViews(all));
            // watch every view after every exchange, so not even a brief flip goes unseen
            List<String> flips = new ArrayList<>();
            network.afterExchange = () -> flips.addAll(offlineViews(all));
            network.slowAnswerTimesOut = timesOut;
            network.slowOnce.put("http://b:8765", exchangeTimeout);
            rounds(12);
            assertTrue(network.slowOnce.isEmpty(), "the slow exchange happened");
            assertEquals(List.of(), flips, timesOut ? "an exchange that timed out once" : "an answer that came late");
            network.afterExchange = () -> { };
        }
    }

    @Test
    void aHostHeardThroughABeaconIsRegisteredAndKeptAsASeed() {
        GossipMesh a = host("a", "v1", List.of());
        GossipMesh b = host("b", "v1", List.of());
        a.discovered(b.self());
        a.discovered(host("odd", "v2", List.of()).self());
        a.discovered(a.self());
        assertEquals(Set.of("a", "b"), onlineNames(a), "another version and itself are not taken in");
        rounds(1);
        assertEquals(Set.of("a", "b"), onlineNames(b), "gossip took over from the beacon");
        // b falls silent past the expiry, then answers again: a seed is contacted first whatever fan-out allows
        network.down.add("http://b:8765");
        rounds(11);
        assertFalse(a.lookup("b").orElseThrow().online());
        for (int i = 0; i < 20; i++) {
            host("x" + i, "v1", List.of());
            a.discovered(network.hosts.get("http://x" + i + ":8765").self());
        }
        network.down.clear();
        network.sentBy.clear();
        a.gossipOnce();
        assertTrue(a.lookup("b").orElseThrow().online(), "a contacts its stale seed b among 21 known hosts at once");
    }

    @Test
    void waitingForAnUnknownHostTimesOut() {
        GossipMesh a = host("a", "v1", List.of());
        JagletException timeout = assertThrows(JagletException.class,
                () -> a.waitForHost("nowhere", Duration.ofMillis(200)));
        assertEquals(ErrorType.TIMEOUT, timeout.type());
        assertEquals(ErrorType.REMOTE_HOST, assertThrows(JagletException.class, () -> a.resolveUrl("nowhere")).type());
        assertEquals("http://other:1", a.resolveUrl("other:1"));
    }

    @Test
    void withoutMeshAHostKnowsOnlyItself() {
        String url = "http://solo:8765";
        GossipMesh solo = new GossipMesh(() -> new HostRef("solo", url, "v1", true, clock.instant(), 0, 0, null, null,
                null), List.of("a:8765"), network, Duration.ofSeconds(10), 3, false, clock, new Random(1));
        network.hosts.put(url, solo);
        host("a", "v1", List.of(url));
        rounds(3);
        assertEquals(Set.of("solo"), onlineNames(solo));
        assertEquals(0, solo.gossipOnce());
    }
}

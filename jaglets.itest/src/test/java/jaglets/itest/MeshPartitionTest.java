package jaglets.itest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real hosts, each in a network namespace of its own on one bridge, as on one LAN: two
 * without seeds that only multicast beacons can bring together, and one with multicast off that
 * joins through the first as its seed. The third host's link is cut, then healed. Needs root and
 * {@code ip netns}; skipped otherwise.
 */
class MeshPartitionTest {
    private static final long OFFLINE_MS = 2000;
    /** Short rounds and expiry, and no pooled child: these hosts only gossip. */
    private static final Map<String, String> FAST = Map.of("jaglets.mesh.gossip.ms", "200",
            "jaglets.mesh.offline.ms", String.valueOf(OFFLINE_MS), "jaglets.pool.size", "0");
    /** In a namespace of its own every port is free. */
    private static final int PORT = 8765;
    private static final Set<String> ALL = Set.of("part-a", "part-b", "part-c");
    private static final int CUT = 2;

    private static NamespaceNetwork network;
    private static final List<HostProcess> hosts = new ArrayList<>();
    private static final List<Http> views = new ArrayList<>();

    @TempDir
    static Path home;

    @BeforeAll
    static void startHosts() throws Exception {
        network = NamespaceNetwork.createOrSkip(3);
        Map<String, String> beacons = Map.of("jaglets.mesh.multicast", "true");
        Map<String, String> seeded = Map.of("jaglets.mesh.multicast", "false", "jaglets.mesh.peers",
                "http://" + network.address(0) + ":" + PORT);
        // the first host records the children's class-data archive in the shared home, so the
        // others start without recording it too: three at once would starve a small machine
        hosts.add(start(0, "part-a", beacons));
        Http first = new Http(hosts.get(0).url(), null);
        HostProcess.awaitCondition(() -> first.get("/health").body().path("child_archive").asBoolean(),
                Duration.ofSeconds(120), "the first host to record the class-data archive");
        ExecutorService starter = Executors.newFixedThreadPool(2);
        try {
            List<Future<HostProcess>> starting = List.of(starter.submit(() -> start(1, "part-b", beacons)),
                    starter.submit(() -> start(2, "part-c", seeded)));
            ExecutionException failed = null;
            for (Future<HostProcess> host : starting) {
                try {
                    hosts.add(host.get()); // every host that started is closed after all, also if another failed
                } catch (ExecutionException e) {
                    failed = failed == null ? e : failed;
                }
            }
            if (failed != null) {
                throw failed;
            }
            hosts.forEach(host -> views.add(new Http(host.url(), null)));
        } finally {
            starter.shutdown();
        }
    }

    private static HostProcess start(int namespace, String name, Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>(FAST);
        properties.putAll(extra);
        return HostProcess.startIn(network.exec(namespace), network.address(namespace), PORT, home, name, properties);
    }

    @AfterAll
    static void stopEverything() {
        hosts.forEach(HostProcess::close);
        if (network != null) {
            network.close();
        }
    }

    private static boolean everySeesEvery() {
        return views.stream().allMatch(view -> view.onlineHosts().equals(ALL));
    }

    @Test
    void hostsOfOneNetworkFindEachOtherThroughBeaconsAndSeeds() {
        // part-b has no seed and is nobody's seed: only its beacons can make it known
        HostProcess.awaitCondition(MeshPartitionTest::everySeesEvery, Duration.ofSeconds(20),
                "every host to see every other");
    }

    @Test
    void aHostCutOffIsShownOfflineWithinTheExpiryAndRejoinsWhenTheLinkHeals() {
        HostProcess.awaitCondition(MeshPartitionTest::everySeesEvery, Duration.ofSeconds(20),
                "every host to see every other");
        Http a = views.get(0);
        Http b = views.get(1);
        network.cut(CUT);
        long cutAt = System.nanoTime();
        long cutAtMillis = System.currentTimeMillis();
        try {
            Set<String> withoutC = Set.of("part-a", "part-b");
            HostProcess.awaitCondition(() -> a.onlineHosts().equals(withoutC) && b.onlineHosts().equals(withoutC),
                    Duration.ofMillis(OFFLINE_MS * 5), "the cut-off host to be shown offline by the others");
            long offlineAfterMs = (System.nanoTime() - cutAt) / 1_000_000;
            assertTrue(offlineAfterMs <= OFFLINE_MS * 2, "shown offline only " + offlineAfterMs + " ms after the cut");
            for (Http view : List.of(a, b)) {
                JsonNode c = view.hostEntry("part-c");
                assertTrue(c != null, "an offline host is still listed");
                // a view shows a host offline one expiry after it last heard of it: nothing heard after
                // the cut (but exchanges under way then) means offline within the expiry of the cut
                long lastSeen = Math.round(c.path("last_seen").asDouble() * 1000);
                assertTrue(lastSeen <= cutAtMillis + 200, "heard of " + (lastSeen - cutAtMillis)
                        + " ms after the cut");
            }
        } finally {
            network.heal(CUT);
        }
        HostProcess.awaitCondition(MeshPartitionTest::everySeesEvery, Duration.ofSeconds(10),
                "the host to rejoin after the heal");
    }
}

package jaglets.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.Message;
import jaglets.api.TransferTicket;
import jaglets.http.HostClient;
import jaglets.http.HttpJagletProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host fetches an arriving agent's code from the source only where the mesh is trusted: two
 * real hosts, each in a network namespace of its own, so they reach each other over a network
 * rather than loopback (where fetching is always allowed). Without a shared API key the target
 * refuses the agent, naming what it has; with one it fetches the bundle. Needs root and
 * {@code ip netns}; skipped otherwise.
 */
class CodeTrustTest {
    /** In a namespace of its own every port is free. */
    private static final int PORT = 8765;
    private static final String KEY = "code-trust-k3y";
    /** No mesh: the agents go to a URL, and nothing else travels between the hosts. */
    private static final Map<String, String> ALONE = Map.of("jaglets.mesh.enabled", "false");

    private static NamespaceNetwork network;

    @TempDir
    static Path home;

    @BeforeAll
    static void buildNetwork() {
        network = NamespaceNetwork.createOrSkip(2);
    }

    @AfterAll
    static void removeNetwork() {
        if (network != null) {
            network.close();
        }
    }

    /** Two hosts, one per namespace, sharing {@code key} (none when null). */
    private record Pair(HostProcess source, HostProcess target, HostClient client) implements AutoCloseable {
        static Pair start(String prefix, String key) {
            Map<String, String> environment = key == null ? Map.of() : Map.of("JAGLETS_API_KEY", key);
            HostProcess source = HostProcess.startIn(network.exec(0), network.address(0), PORT, home, prefix + "-a",
                    ALONE, environment);
            try {
                HostClient client = HostClient.create(key, Duration.ofSeconds(60));
                // the first host records the children's class-data archive in the shared home; two at once
                // would starve a small machine
                HostProcess.awaitCondition(() -> client.health(source.url()).childArchive(), Duration.ofSeconds(120),
                        "the first host to record the class-data archive");
                HostProcess target = HostProcess.startIn(network.exec(1), network.address(1), PORT, home,
                        prefix + "-b", ALONE, environment);
                return new Pair(source, target, client);
            } catch (RuntimeException | AssertionError e) {
                source.close(); // the target did not start: no host is left running in the namespace
                throw e;
            }
        }

        /** Deploys a version of the examples bundle on the source only, and creates an agent of it there. */
        HttpJagletProxy agentOfANewVersion(String version, String agentId) {
            source.run("jaglets:deploy " + Bundles.withVersion(home, version));
            assertFalse(targetHas(version));
            return client.create(source.url(), "jaglets.examples.EchoJaglet", version, agentId, null, null);
        }

        boolean targetHas(String version) {
            return client.bundles(target.url()).stream().anyMatch(b -> b.version().equals(version));
        }

        @Override
        public void close() {
            target.close();
            source.close();
        }
    }

    @Test
    void withoutASharedKeyTheTargetRefusesToFetchCodeAndTheAgentStaysWhereItWas() {
        try (Pair pair = Pair.start("open", null)) {
            HttpJagletProxy agent = pair.agentOfANewVersion("60.0.0", "homebody");
            agent.send(Message.of("incr"));
            agent.send(Message.of("incr"));

            JagletException refused = assertThrows(JagletException.class,
                    () -> pair.client().dispatch(pair.source().url(), "homebody", TransferTicket.to(pair.target().url())));

            assertEquals(ErrorType.CODE, refused.type(), refused.getMessage());
            assertTrue(refused.getMessage().contains("lacks bundle jaglets.examples 60.0.0"), refused.getMessage());
            assertTrue(refused.getMessage().contains("may fetch code only from a host that shares its API key"),
                    refused.getMessage());
            assertTrue(refused.getMessage().contains("it has"), "the refusal names what the target has: "
                    + refused.getMessage());
            assertEquals(3L, agent.send(Message.of("incr")), "the agent stays active where it was, its state intact");
            assertTrue(pair.client().agent(pair.source().url(), "homebody").active());
            JagletException absent = assertThrows(JagletException.class,
                    () -> pair.client().agent(pair.target().url(), "homebody"));
            assertEquals(ErrorType.INVALID_AGENT, absent.type());
            assertFalse(pair.targetHas("60.0.0"), "nothing was fetched");
            assertTrue(pair.client().events(pair.target().url(), 0, 1000).stream()
                    .noneMatch(e -> e.kind().equals("bundle-fetched")));
        }
    }

    @Test
    void withASharedKeyTheTargetFetchesTheCodeFromTheSourceOverTheNetwork() {
        try (Pair pair = Pair.start("keyed", KEY)) {
            HttpJagletProxy agent = pair.agentOfANewVersion("61.0.0", "pioneer");
            agent.send(Message.of("incr"));

            HttpJagletProxy moved = pair.client().dispatch(pair.source().url(), "pioneer",
                    TransferTicket.to(pair.target().url()));

            assertEquals(pair.target().url(), moved.hostAddress());
            assertEquals(2L, moved.send(Message.of("incr")));
            assertEquals("61.0.0", pair.client().agent(pair.target().url(), "pioneer").bundleVersion());
            assertTrue(pair.targetHas("61.0.0"));
            assertTrue(pair.client().events(pair.target().url(), 0, 1000).stream()
                    .anyMatch(e -> e.kind().equals("bundle-fetched")));
        }
    }
}

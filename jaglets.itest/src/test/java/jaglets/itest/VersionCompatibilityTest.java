package jaglets.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jaglets.api.ArrivalMode;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.Message;
import jaglets.api.TransferTicket;
import jaglets.http.HostClient;
import jaglets.http.HttpJagletProxy;
import jaglets.runtime.HostEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent that moves needs its exact bundle version at the target, or one the version's
 * declared {@code Jaglet-Compatibility} admits. Each test uses a bundle name of its own, with
 * versions no other test uses, so that creation by version is unambiguous.
 */
class VersionCompatibilityTest {
    private static final String ECHO = "jaglets.examples.EchoJaglet";
    @TempDir
    static Path home;
    @TempDir
    static Path jars;
    static HostProcess alpha;
    static HostProcess beta;
    static HostClient client;

    static MeshPair pair;

    @BeforeAll
    static void start() {
        pair = MeshPair.start(home);
        alpha = pair.alpha();
        beta = pair.beta();
        client = pair.client();
    }

    @AfterAll
    static void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    private static void deploy(HostProcess host, String symbolicName, String version, String compatibility) {
        String out = host.run("jaglets:deploy " + Bundles.declaring(jars, symbolicName, version, compatibility));
        assertTrue(out.startsWith("deployed " + symbolicName + " " + version), out);
    }

    private static boolean holds(HostProcess host, String symbolicName, String version) {
        return client.bundles(host.url()).stream()
                .anyMatch(b -> b.symbolicName().equals(symbolicName) && b.version().equals(version));
    }

    private static List<HostEvent> eventsOf(HostProcess host, String agentId, String kind) {
        return client.events(host.url(), 0, 1000).stream()
                .filter(e -> agentId.equals(e.agentId()) && e.kind().equals(kind)).toList();
    }

    @Test
    void aMajorCompatibleAgentRunsOnTheNewestSameMajorVersionOfTheTargetWithoutFetching() {
        deploy(alpha, "policy.major", "1.0.0", "major");
        deploy(beta, "policy.major", "1.2.0", "major");
        deploy(beta, "policy.major", "1.4.0", "major");
        deploy(beta, "policy.major", "2.0.0", "major");
        HttpJagletProxy agent = client.create(alpha.url(), ECHO, "1.0.0", "adaptable", null, null);
        agent.send(Message.of("incr"));

        // the preflight judges beta as beta will: a compatible version is as good as the exact one
        HttpJagletProxy moved = client.dispatch(alpha.url(), "adaptable",
                TransferTicket.to(beta.url()).withExpectedBundleVersion("1.0.0"));

        assertEquals(beta.url(), moved.hostAddress());
        assertEquals(2L, moved.send(Message.of("incr")), "the state runs on the other version");
        assertEquals("1.4.0", client.agent(beta.url(), "adaptable").bundleVersion());
        assertFalse(holds(beta, "policy.major", "1.0.0"), "nothing was fetched");
        assertTrue(eventsOf(beta, "adaptable", "bundle-fetched").isEmpty());
        List<HostEvent> substituted = eventsOf(beta, "adaptable", "bundle-substituted");
        assertEquals(1, substituted.size());
        assertEquals(Map.of("symbolic_name", "policy.major", "recorded_version", "1.0.0", "version", "1.4.0",
                "compatibility", "major", "occasion", "arrival"), substituted.get(0).data());
        assertEquals(1, client.bundles(beta.url()).stream().filter(b -> b.symbolicName().equals("policy.major")
                && b.version().equals("1.4.0")).findFirst().orElseThrow().agentCount(),
                "the version the agent runs is the one it holds");
    }

    @Test
    void anAgentOfABundleDeclaringNothingFetchesItsExactVersion() {
        deploy(alpha, "policy.undeclared", "3.0.0", null);
        deploy(beta, "policy.undeclared", "3.4.0", null);
        client.create(alpha.url(), ECHO, "3.0.0", "particular", null, null);

        JagletException refused = assertThrows(JagletException.class, () -> client.dispatch(alpha.url(),
                "particular", TransferTicket.to(beta.url()).withExpectedBundleVersion("3.0.0")));
        assertEquals(ErrorType.TRANSFER, refused.type());
        assertTrue(refused.getMessage().contains("does not have policy.undeclared 3.0.0"), refused.getMessage());

        HttpJagletProxy moved = client.dispatch(alpha.url(), "particular", TransferTicket.to(beta.url()));

        assertEquals("pong", moved.send(Message.of("ping")));
        assertEquals("3.0.0", client.agent(beta.url(), "particular").bundleVersion());
        assertTrue(holds(beta, "policy.undeclared", "3.0.0"), "fetched from alpha");
        assertEquals(1, eventsOf(beta, "particular", "bundle-fetched").size());
        assertTrue(eventsOf(beta, "particular", "bundle-substituted").isEmpty());
    }

    @Test
    void anAgentOfABundleDeclaringExactIsNeverSubstituted() {
        deploy(alpha, "policy.exact", "4.0.0", "exact");
        deploy(beta, "policy.exact", "4.4.0", "exact");
        client.create(alpha.url(), ECHO, "4.0.0", "strict", null, null);

        client.dispatch(alpha.url(), "strict", TransferTicket.to(beta.url()));

        assertEquals("4.0.0", client.agent(beta.url(), "strict").bundleVersion());
        assertEquals(1, eventsOf(beta, "strict", "bundle-fetched").size());
    }

    @Test
    void aMajorCompatibleAgentIsNotSubstitutedByAnotherMajorVersion() {
        deploy(alpha, "policy.across", "5.0.0", "major");
        deploy(beta, "policy.across", "6.0.0", "major");
        client.create(alpha.url(), ECHO, "5.0.0", "conservative", null, null);

        JagletException refused = assertThrows(JagletException.class, () -> client.dispatch(alpha.url(),
                "conservative", TransferTicket.to(beta.url()).withExpectedBundleVersion("5.0.0")));
        assertEquals(ErrorType.TRANSFER, refused.type());
        assertTrue(refused.getMessage().contains("policy.across 5.0.0 (or a deployed 5.x version"),
                refused.getMessage());

        client.dispatch(alpha.url(), "conservative", TransferTicket.to(beta.url()));

        assertEquals("5.0.0", client.agent(beta.url(), "conservative").bundleVersion());
        assertEquals(1, eventsOf(beta, "conservative", "bundle-fetched").size());
        assertTrue(eventsOf(beta, "conservative", "bundle-substituted").isEmpty());
    }

    @Test
    void anInactiveArrivalKeepsItsRecordedVersionUntilItActivatesOnACompatibleOne() {
        deploy(alpha, "policy.resting", "7.0.0", "major");
        deploy(beta, "policy.resting", "7.2.0", "major");
        client.create(alpha.url(), ECHO, "7.0.0", "resting", null, null).send(Message.of("incr"));

        client.dispatch(alpha.url(), "resting", TransferTicket.to(beta.url()).withArrivalMode(ArrivalMode.INACTIVE));

        assertFalse(client.agent(beta.url(), "resting").active());
        assertEquals("7.0.0", client.agent(beta.url(), "resting").bundleVersion(), "the record names what it recorded");
        client.activate(beta.url(), "resting");
        assertEquals("7.2.0", client.agent(beta.url(), "resting").bundleVersion());
        assertEquals(2L, client.proxy(beta.url(), "resting").send(Message.of("incr")));
        assertFalse(holds(beta, "policy.resting", "7.0.0"), "nothing was fetched");
        List<HostEvent> substituted = eventsOf(beta, "resting", "bundle-substituted");
        assertEquals(1, substituted.size());
        assertEquals("activation", substituted.get(0).data().get("occasion"));

        client.deactivate(beta.url(), "resting", null);
        assertEquals("7.2.0", client.agent(beta.url(), "resting").bundleVersion(),
                "stored again, it records the version it ran");
    }
}

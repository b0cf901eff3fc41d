package jaglets.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.Message;
import jaglets.api.SendOptions;
import jaglets.api.TransferTicket;
import jaglets.http.HostClient;
import jaglets.http.HttpJagletProxy;
import jaglets.mesh.HostRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host without an inbound port behind a hub (connect mode), both real processes sharing an API
 * key: it is reached through the hub, agents talk and move both ways, and once it is gone callers
 * are told so at once while agents that tried to go there stay where they are.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RelayTest {
    private static final String KEY = "relay-test-key";
    /** The hub counts the node offline this soon after its last heartbeat (the node sends one every 300 ms). */
    private static final Duration OFFLINE_AFTER = Duration.ofSeconds(5);

    @TempDir
    static Path home;
    static HostProcess hub;
    static HostProcess node;
    static String nodeUrl;
    static HostClient client;

    @BeforeAll
    static void start() {
        Map<String, String> key = Map.of("JAGLETS_API_KEY", KEY);
        hub = HostProcess.start(home.resolve("hub"), "hub", Map.of("jaglets.mesh.gossip.ms", "300",
                "jaglets.relay.offline.ms", String.valueOf(OFFLINE_AFTER.toMillis())), key);
        nodeUrl = hub.url() + "/relay/hosts/node";
        // what 'jaglets host --connect-to <hub>' sets
        node = HostProcess.start(home.resolve("node"), "node", Map.of("jaglets.relay.connect", hub.url(),
                "jaglets.address", nodeUrl, "jaglets.mesh.fanout", "0", "jaglets.mesh.gossip.ms", "300"), key);
        client = HostClient.create(KEY, Duration.ofSeconds(60));
        HostProcess.awaitCondition(() -> client.hosts(hub.url()).stream().anyMatch(h -> h.name().equals("node")
                && h.online()), Duration.ofSeconds(30), "the hub to list the node");
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    @Order(1)
    void theNodeIsInTheHubsMeshUnderItsRelayUrlAndTakesTheHubsView() {
        HostRef listed = client.hosts(hub.url()).stream().filter(h -> h.name().equals("node")).findFirst().orElseThrow();
        assertEquals(nodeUrl, listed.url());
        assertTrue(listed.online());
        assertEquals("node", client.health(nodeUrl).name(), "GET /health is relayed to the node");
        assertEquals(nodeUrl, client.health(nodeUrl).address());
        HostProcess.awaitCondition(() -> client.hosts(nodeUrl).stream().anyMatch(h -> h.name().equals("hub") && h.online()),
                Duration.ofSeconds(10), "the node to know the hub");
        JsonNode diagnostics = new Http(hub.url(), KEY).get("/relay/diagnostics").body().path("nodes").get(0);
        assertEquals("node", diagnostics.path("name").asText());
        assertTrue(diagnostics.path("online").asBoolean(), diagnostics.toString());
        assertTrue(diagnostics.path("active_polls").asInt() <= 1, diagnostics.toString());
    }

    @Test
    @Order(2)
    void agentsOnTheNodeAreCreatedMessagedAndDisposedThroughTheHub() {
        HttpJagletProxy far = client.create(nodeUrl, "jaglets.examples.EchoJaglet", null, "far", null, null);
        assertEquals(nodeUrl, far.hostAddress());
        assertEquals("pong", far.send(Message.of("ping")));
        assertEquals(List.of("hub", "node"), far.send(Message.of("hosts")), "the node's agents see the hub's mesh");
        HttpJagletProxy near = client.create(hub.url(), "jaglets.examples.EchoJaglet", null, "near", null, null);

        assertEquals(1L, near.send(Message.of("forward").withArg("to", "far").withArg("kind", "incr")
                .withArg("host", nodeUrl)), "hub agent → node agent, through the hub");
        assertEquals(1L, far.send(Message.of("forward").withArg("to", "near").withArg("kind", "incr")
                .withArg("host", hub.url())), "node agent → hub agent, directly");
        assertEquals(2L, far.send(Message.of("incr"), new SendOptions(true, false, Duration.ofSeconds(40))),
                "a message with its own timeout");

        CompletableFuture<Object> sleeping = client.sendAsync(nodeUrl, "far", Message.of("sleep").withArg("ms", 5000),
                null);
        assertEquals("node", client.health(nodeUrl).name());
        assertFalse(sleeping.isDone(), "other requests to the node go on while a long one runs");
        assertEquals(5000L, sleeping.join());

        client.dispose(nodeUrl, "far");
        assertEquals(ErrorType.INVALID_AGENT, assertThrows(JagletException.class,
                () -> client.agent(nodeUrl, "far")).type());
    }

    @Test
    @Order(3)
    void agentsMoveToTheNodeAndBackAndTheNodesAgentsLeaveByThemselves() {
        HttpJagletProxy traveller = client.create(hub.url(), "jaglets.examples.EchoJaglet", null, "traveller", null, null);
        traveller.send(Message.of("incr"));

        HttpJagletProxy there = client.dispatch(hub.url(), "traveller", TransferTicket.to("node"));

        assertEquals(nodeUrl, there.hostAddress(), "by mesh name, to the relay URL");
        assertEquals(2L, there.send(Message.of("incr")));
        HttpJagletProxy back = client.dispatch(nodeUrl, "traveller", TransferTicket.to("hub"));
        assertEquals(hub.url(), back.hostAddress());
        assertEquals(3L, back.send(Message.of("incr")));
        @SuppressWarnings("unchecked")
        List<String> hooks = (List<String>) back.send(Message.of("hooks"));
        assertEquals(List.of("creation", "run", "dispatching:hub->node", "arrival:dispatch@node:from:hub", "run",
                "dispatching:node->hub", "arrival:dispatch@hub:from:node", "run"), hooks);

        client.create(nodeUrl, "jaglets.examples.EchoJaglet", null, "leaver", null, null);
        assertEquals(Map.of("host_url", hub.url(), "agent_id", "leaver"),
                client.proxy(nodeUrl, "leaver").send(Message.of("go").withArg("to", hub.url())));
        assertEquals("pong", client.proxy(hub.url(), "leaver").send(Message.of("ping")));
    }

    /** Jars go through the relay both ways: deployed to the node, fetched from it by the hub. */
    @Test
    @Order(4)
    void codeTheHubLacksIsFetchedFromTheNodeThroughTheRelay() {
        client.deploy(nodeUrl, Bundles.withVersion(home, "60.0.0"));
        client.create(nodeUrl, "jaglets.examples.EchoJaglet", "60.0.0", "pioneer", null, null);

        HttpJagletProxy moved = client.dispatch(nodeUrl, "pioneer", TransferTicket.to(hub.url()));

        assertEquals("pong", moved.send(Message.of("ping")));
        assertEquals("60.0.0", client.agent(hub.url(), "pioneer").bundleVersion());
    }

    @Test
    @Order(5)
    void badRelayRequestsAreRefusedWithJsonErrors() {
        Http anonymous = new Http(hub.url(), null);
        Http.Reply denied = anonymous.get("/relay/poll/node?timeout=0");
        assertEquals(401, denied.status());
        assertEquals("AuthenticationError", denied.errorType());
        assertEquals(401, anonymous.get("/relay/hosts/node/health").status());

        Http http = new Http(hub.url(), KEY);
        Http.Reply unknown = http.get("/relay/hosts/nobody/health");
        assertEquals(404, unknown.status());
        assertEquals("NotFoundError", unknown.errorType());
        assertTrue(unknown.body().path("error").asText().contains("'nobody'"), unknown.body().toString());
        assertEquals(404, http.get("/relay/elsewhere").status());
        assertEquals(405, http.get("/relay/connect").status());
        assertEquals(400, http.post("/relay/connect", "{\"health\": {}}").status());
        assertEquals(400, http.post("/relay/ack/abc?status=many", "{}").status());
        Http.Reply late = http.post("/relay/ack/abc?status=200", "{}");
        assertEquals(200, late.status());
        assertTrue(late.body().path("duplicate").asBoolean(), late.body().toString());
        assertEquals(404, http.get("/relay/hosts/node/no/such/route").status(), "the node's own 404, relayed");

        assertEquals(401, new Http(node.url(), null).get("/health").status(), "the node's local API keeps its key");
        assertEquals(404, new Http(node.url(), KEY).get("/relay/diagnostics").status(), "a node is not a hub");
    }

    @Test
    @Order(6)
    void onceTheNodeIsGoneCallersAreToldSoAndAgentsStayWhereTheyAre() {
        client.create(nodeUrl, "jaglets.examples.EchoJaglet", null, "stranded", null, null);
        HttpJagletProxy homebody = client.create(hub.url(), "jaglets.examples.EchoJaglet", null, "homebody", null, null);
        homebody.send(Message.of("incr"));

        node.kill9();

        JagletException offline = awaitFailure(() -> client.proxy(nodeUrl, "stranded").send(Message.of("ping")));
        assertEquals(ErrorType.REMOTE_HOST, offline.type());
        assertTrue(offline.getMessage().startsWith("Relay target 'node' is offline/not polling (last seen "),
                offline.getMessage());
        JagletException move = assertThrows(JagletException.class, () -> client.dispatch(hub.url(), "homebody",
                TransferTicket.to(nodeUrl)));
        assertEquals(ErrorType.TRANSFER, move.type());
        assertTrue(move.getMessage().contains("Relay target 'node' is offline"), move.getMessage());
        JagletException selfMove = assertThrows(JagletException.class,
                () -> homebody.send(Message.of("go").withArg("to", nodeUrl)));
        assertTrue(selfMove.getMessage().contains("Relay target 'node' is offline"), selfMove.getMessage());

        assertEquals(2L, homebody.send(Message.of("incr")), "still active on the hub, state intact");
        assertEquals(List.of("creation", "run"), homebody.send(Message.of("hooks")), "no leaving hook ran");
        assertTrue(client.events(hub.url(), 0, 1000).stream().anyMatch(e -> "homebody".equals(e.agentId())
                && e.kind().equals("transfer-failed")));
        JsonNode diagnostics = new Http(hub.url(), KEY).get("/relay/diagnostics").body().path("nodes").get(0);
        assertEquals(false, diagnostics.path("online").asBoolean(), diagnostics.toString());
    }

    /** Polls until the call fails: the node's death is noticed within the offline window. */
    private static JagletException awaitFailure(Runnable call) {
        long deadline = System.nanoTime() + OFFLINE_AFTER.plusSeconds(10).toNanos();
        while (true) {
            try {
                call.run();
            } catch (JagletException e) {
                if (e.type() == ErrorType.REMOTE_HOST || System.nanoTime() > deadline) {
                    return e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("calls to the stopped node still succeed");
            }
        }
    }
}

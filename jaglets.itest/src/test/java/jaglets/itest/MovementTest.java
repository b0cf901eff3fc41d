package jaglets.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import jaglets.api.AgentMovedException;
import jaglets.api.AgentSummary;
import jaglets.api.ArrivalMode;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.Message;
import jaglets.api.SendOptions;
import jaglets.api.TransferTicket;
import jaglets.http.HostClient;
import jaglets.http.HttpJagletProxy;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agents move between two real host processes: dispatch, clone, retract, chains, code and failures. */
class MovementTest {
    @TempDir
    static Path home;
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

    /** The stages of the agent's failed transfers on alpha, oldest first. */
    private static List<String> failedStages(String agentId) {
        return client.events(alpha.url(), 0, 1000).stream()
                .filter(e -> agentId.equals(e.agentId()) && e.kind().equals("transfer-failed"))
                .map(e -> String.valueOf(e.data().get("stage"))).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> hooks(HttpJagletProxy proxy) {
        return (List<String>) proxy.send(Message.of("hooks"));
    }

    /** run() runs beside handlers: wait until it has recorded itself, so hook lists have one order. */
    private static HttpJagletProxy ran(HttpJagletProxy proxy) {
        HostProcess.awaitCondition(() -> hooks(proxy).contains("run"), Duration.ofSeconds(10), "run() of " + proxy);
        return proxy;
    }

    @Test
    void dispatchMovesStateAndRunsHooksInOrder() {
        HttpJagletProxy agent = ran(client.create(alpha.url(), "jaglets.examples.EchoJaglet", null, "traveller", null, null));
        agent.send(Message.of("incr"));
        agent.send(Message.of("incr"));

        HttpJagletProxy moved = client.dispatch(alpha.url(), "traveller", TransferTicket.to(beta.url()));

        assertEquals(beta.url(), moved.hostAddress());
        assertEquals(2L, moved.send(Message.of("count")));
        assertEquals(List.of("creation", "run", "dispatching:alpha->beta", "arrival:dispatch@beta:from:alpha", "run"),
                hooks(moved));
        JagletException gone = assertThrows(JagletException.class, () -> client.agent(alpha.url(), "traveller"));
        assertEquals(ErrorType.INVALID_AGENT, gone.type());
        assertTrue(gone instanceof AgentMovedException, "the source says where the agent went");
        assertEquals(beta.url(), ((AgentMovedException) gone).location().hostUrl());
        assertEquals(3L, agent.send(Message.of("incr")), "a proxy to the old place follows the agent");
        assertEquals(beta.url(), agent.hostAddress());
        List<String> kinds = client.events(alpha.url(), 0, 1000).stream()
                .filter(e -> "traveller".equals(e.agentId())).map(e -> e.kind()).toList();
        assertTrue(kinds.contains("dispatch"), kinds.toString());
        assertTrue(client.events(beta.url(), 0, 1000).stream()
                .anyMatch(e -> "traveller".equals(e.agentId()) && e.kind().equals("arrival")));
    }

    @Test
    void dispatchByMeshNameReachesTheNamedHost() {
        client.create(alpha.url(), "jaglets.examples.EchoJaglet", null, "by-name", null, null);
        HttpJagletProxy moved = client.dispatch(alpha.url(), "by-name", TransferTicket.to("beta"));
        assertEquals(beta.url(), moved.hostAddress());
        assertEquals("pong", moved.send(Message.of("ping")));
    }

    @Test
    void anAgentSeesTheMeshThroughItsContext() {
        HttpJagletProxy agent = client.create(alpha.url(), "jaglets.examples.EchoJaglet", null, "surveyor", null, null);
        assertEquals(List.of("alpha", "beta"), agent.send(Message.of("hosts")));
        assertEquals(beta.url(), agent.send(Message.of("wait-for-host").withArg("host", "beta").withArg("ms", 1000)));
        JagletException timeout = assertThrows(JagletException.class,
                () -> agent.send(Message.of("wait-for-host").withArg("host", "gamma").withArg("ms", 300)));
        assertEquals(ErrorType.TIMEOUT, timeout.type());
    }

    @Test
    void cloneRunsCloningCloneAndClonedWithANewId() {
        HttpJagletProxy original = ran(client.create(alpha.url(), "jaglets.examples.EchoJaglet", null, "sheep", null, null));
        original.send(Message.of("incr"));

        HttpJagletProxy copy = client.cloneAgent(alpha.url(), "sheep", TransferTicket.to(beta.url()));

        assertNotEquals("sheep", copy.agentId());
        assertEquals(beta.url(), copy.hostAddress());
        assertEquals(1L, copy.send(Message.of("count")));
        assertEquals(List.of("creation", "run", "cloning", "clone:of:sheep", "run"), hooks(ran(copy)));
        assertEquals(List.of("creation", "run", "cloning", "cloned:" + copy.agentId()), hooks(original));
        assertEquals(2L, original.send(Message.of("incr")), "the original keeps its own state");
        assertEquals(1L, copy.send(Message.of("count")));
    }

    @Test
    void cloneWithoutDestinationStaysOnTheSameHost() {
        client.create(alpha.url(), "jaglets.examples.EchoJaglet", null, "twin", null, null);
        HttpJagletProxy copy = client.cloneAgent(alpha.url(), "twin", null);
        assertEquals(alpha.url(), copy.hostAddress());
        assertEquals("pong", copy.send(Message.of("ping")));
    }

    @Test
    void agentDispatchesAndClonesItselfFromAHandler() {
        HttpJagletProxy agent = ran(client.create(alpha.url(), "jaglets.examples.EchoJaglet", null, "self-mover", null, null));
        JsonNode copy = HostProcess.JSON.valueToTree(agent.send(Message.of("clone-self").withArg("to", beta.url())));
        assertEquals(beta.url(), copy.path("host_url").asText());

        Object where = agent.send(Message.of("go").withArg("to", beta.url()));

        assertEquals(Map.of("host_url", beta.url(), "agent_id", "self-mover"), where);
        HttpJagletProxy there = client.proxy(beta.url(), "self-mover");
        List<String> hooks = hooks(there);
        assertEquals(List.of("creation", "run", "cloning", "cloned:" + copy.path("agent_id").asText(),
                "dispatching:alpha->beta", "arrival:dispatch@beta:from:alpha", "run"), hooks);
    }

    @Test
    void retractBringsTheAgentBack() {
        client.create(alpha.url(), "jaglets.examples.EchoJaglet", null, "boomerang", null, null);
        client.dispatch(alpha.url(), "boomerang", TransferTicket.to(beta.url()));

        HttpJagletProxy back = client.retract(beta.url(), "boomerang", alpha.url());

        assertEquals(alpha.url(), back.hostAddress());
        List<String> hooks = hooks(back);
        assertEquals(List.of("reverting:beta->alpha", "arrival:retract@alpha:from:beta", "run"),
                hooks.subList(hooks.size() - 3, hooks.size()));
        assertTrue(alpha.run("jaglets:retract " + beta.url() + " boomerang").startsWith("InvalidAgentError"),
                "beta no longer has it");

        assertEquals("dispatched boomerang to " + beta.url(), alpha.run("jaglets:dispatch boomerang " + beta.url()));
        assertEquals("retracted boomerang to " + alpha.url(), alpha.run("jaglets:retract " + beta.url() + " boomerang"));
    }

    /** paglets' itinerary scenario: the agent travels alpha → beta → alpha → beta by itself. */
    @Test
    void selfDispatchChainEndsWhereTheItineraryEnds() {
        HttpJagletProxy chain = client.create(alpha.url(), "jaglets.examples.ChainJaglet", null, "chain",
                Map.of("itinerary", List.of(beta.url(), alpha.url(), beta.url())), null);

        Object returned = chain.send(Message.of("start"));

        assertEquals(Map.of("host_url", beta.url(), "agent_id", "chain"), returned);
        assertFalse(client.agents(alpha.url(), jaglets.api.AgentStatus.ALL).stream()
                .anyMatch(a -> a.agentId().equals("chain")));
        assertEquals(List.of("created@alpha", "leaving:alpha->beta", "arrived@beta:from:alpha", "leaving:beta->alpha",
                        "arrived@alpha:from:beta", "leaving:alpha->beta", "arrived@beta:from:alpha", "done@beta"),
                client.proxy(beta.url(), "chain").send(Message.of("visits")));
    }

    @Test
    void failedPreflightLeavesTheAgentWhereItWas() {
        HttpJagletProxy agent = ran(client.create(alpha.url(), "jaglets.examples.EchoJaglet", null, "homebody", null, null));
        agent.send(Message.of("incr"));
        String nowhere = "http://127.0.0.1:" + HostProcess.freePort();

        JagletException unreachable = assertThrows(JagletException.class,
                () -> client.dispatch(alpha.url(), "homebody", TransferTicket.to(nowhere).withTimeout(Duration.ofSeconds(2))));
        assertEquals(ErrorType.TRANSFER, unreachable.type());
        JagletException lacking = assertThrows(JagletException.class, () -> client.dispatch(alpha.url(), "homebody",
                TransferTicket.to(beta.url()).withRequiredCapabilities(List.of("gpu"))));
        assertEquals(ErrorType.TRANSFER, lacking.type());
        assertTrue(lacking.getMessage().contains("gpu"), lacking.getMessage());
        JagletException wrongVersion = assertThrows(JagletException.class, () -> client.dispatch(alpha.url(), "homebody",
                TransferTicket.to(beta.url()).withExpectedBundleVersion("99.0.0")));
        assertEquals(ErrorType.TRANSFER, wrongVersion.type());

        assertEquals(2L, agent.send(Message.of("incr")), "still active at the source, state intact");
        assertEquals(List.of("creation", "run"), hooks(agent), "no leaving hook ran");
        assertTrue(client.events(alpha.url(), 0, 1000).stream().anyMatch(e -> "homebody".equals(e.agentId())
                && e.kind().equals("transfer-failed")));
    }

    /**
     * A target described by a move a moment ago is not asked again; when it has gone since, the
     * prepare finds out (the leaving hook ran, the agent stays active); either way the next move
     * asks again and fails in its preflight, with no leaving hook.
     */
    @Test
    void targetGoneSinceItsLastDescriptionIsAskedAgainAfterAFailedPrepare() {
        HttpJagletProxy agent = ran(client.create(alpha.url(), "jaglets.examples.EchoJaglet", null, "stayer", null, null));
        agent.send(Message.of("incr"));
        try (HostProcess gamma = HostProcess.start(home.resolve("gamma"), "gamma", Map.of("jaglets.mesh.enabled", "false"))) {
            client.create(alpha.url(), "jaglets.examples.EchoJaglet", null, "scout", null, null);
            assertEquals(gamma.url(), client.dispatch(alpha.url(), "scout", TransferTicket.to(gamma.url())).hostAddress());
            gamma.kill9();

            TransferTicket toGamma = TransferTicket.to(gamma.url()).withTimeout(Duration.ofSeconds(2));
            JagletException first = assertThrows(JagletException.class,
                    () -> client.dispatch(alpha.url(), "stayer", toGamma));
            assertEquals(ErrorType.TRANSFER, first.type());
            assertEquals(2L, agent.send(Message.of("incr")), "still active at the source, state intact");
            List<String> firstStages = failedStages("stayer");
            // within the description's two seconds the prepare finds out, else the preflight does
            assertEquals(firstStages.equals(List.of("prepare")) ? List.of("creation", "run", "dispatching:alpha->gamma")
                    : List.of("creation", "run"), hooks(agent), "stages " + firstStages);

            List<String> hooksBefore = hooks(agent);
            JagletException second = assertThrows(JagletException.class,
                    () -> client.dispatch(alpha.url(), "stayer", toGamma));
            assertEquals(ErrorType.TRANSFER, second.type());
            assertEquals(3L, agent.send(Message.of("incr")));
            assertEquals(hooksBefore, hooks(agent), "no leaving hook ran");
            List<String> stages = failedStages("stayer");
            assertEquals("preflight", stages.get(stages.size() - 1), "stages " + stages);
        }
    }

    /** run() starts with the landing and may fail before the target has finished it: the agent stays crashed there. */
    @Test
    void runFailingRightAfterItsArrivalLeavesTheAgentCrashedOnTheTarget() {
        client.create(alpha.url(), "jaglets.examples.CrashingJaglet", null, "fragile", null, null);
        assertEquals(true, client.send(alpha.url(), "fragile", Message.of("fail-run-after-arrival"), SendOptions.DEFAULT));

        HttpJagletProxy moved = client.dispatch(alpha.url(), "fragile", TransferTicket.to(beta.url()));

        assertEquals(beta.url(), moved.hostAddress());
        HostProcess.awaitCondition(() -> client.agent(beta.url(), "fragile").crashed(), Duration.ofSeconds(10),
                "fragile to crash on beta");
        AgentSummary there = client.agent(beta.url(), "fragile");
        assertFalse(there.active());
        assertTrue(there.error().contains("run() failed on purpose"), there.error());
        JagletException refused = assertThrows(JagletException.class, () -> moved.send(Message.of("incr")));
        assertEquals(ErrorType.AGENT_CRASHED, refused.type());
        assertTrue(assertThrows(JagletException.class, () -> client.agent(alpha.url(), "fragile"))
                instanceof AgentMovedException, "gone from the source");
    }

    @Test
    void inactiveArrivalIsStoredAndActivatesWithItsActivationHook() {
        HttpJagletProxy agent = client.create(alpha.url(), "jaglets.examples.EchoJaglet", null, "sleeper", null, null);
        agent.send(Message.of("incr"));

        HttpJagletProxy moved = client.dispatch(alpha.url(), "sleeper",
                TransferTicket.to(beta.url()).withArrivalMode(ArrivalMode.INACTIVE));

        assertFalse(client.agent(beta.url(), "sleeper").active());
        assertEquals(2L, moved.send(Message.of("incr")), "a message activates it");
        List<String> hooks = hooks(moved);
        assertEquals(List.of("dispatching:alpha->beta", "activation:activate", "run"),
                hooks.subList(hooks.size() - 3, hooks.size()));
    }

    @Test
    void anInactiveAgentIsActivatedToLeave() {
        ran(client.create(alpha.url(), "jaglets.examples.EchoJaglet", null, "dormant", null, null));
        client.deactivate(alpha.url(), "dormant", null);

        HttpJagletProxy moved = client.dispatch(alpha.url(), "dormant", TransferTicket.to(beta.url()));

        List<String> hooks = hooks(moved);
        assertEquals(List.of("deactivating:deactivate", "activation:activate", "dispatching:alpha->beta",
                "arrival:dispatch@beta:from:alpha", "run"), hooks.subList(2, hooks.size()),
                "woken only to leave: its run() starts where it arrives");
    }

    /** The target has never seen the agent's bundle version: it fetches it from the source and checks it. */
    @Test
    void agentTravelsToAHostThatLacksItsCode() {
        Path jar = Bundles.withVersion(home, "50.0.0");
        alpha.run("jaglets:deploy " + jar);
        client.create(alpha.url(), "jaglets.examples.EchoJaglet", "50.0.0", "pioneer", null, null);
        assertFalse(client.bundles(beta.url()).stream().anyMatch(b -> b.version().equals("50.0.0")));

        HttpJagletProxy moved = client.dispatch(alpha.url(), "pioneer", TransferTicket.to(beta.url()));

        assertEquals("pong", moved.send(Message.of("ping")));
        assertEquals("50.0.0", client.agent(beta.url(), "pioneer").bundleVersion());
        assertTrue(client.bundles(beta.url()).stream().anyMatch(b -> b.version().equals("50.0.0")));
        assertTrue(client.events(beta.url(), 0, 1000).stream().anyMatch(e -> e.kind().equals("bundle-fetched")));
    }

    @Test
    void badTransferRequestsAreRefusedWithJsonErrors() {
        Http http = new Http(alpha.url(), null);
        assertEquals(400, http.post("/transfers", "{\"kind\":\"dispatch\"}").status());
        assertEquals(400, http.post("/transfers", "not json").status());
        Http.Reply notSmile = http.send(http.builder("/transfers").header("Content-Type", "application/x-jackson-smile")
                .POST(HttpRequest.BodyPublishers.ofString("not smile either")).build());
        assertEquals(400, notSmile.status());
        assertEquals("BadRequestError", notSmile.body().path("error_type").asText(), notSmile.body().toString());
        assertTrue(notSmile.body().path("error").asText().contains("Smile"), notSmile.body().toString());
        assertEquals(400, http.get("/transfers/not.an.id").status());
        Http.Reply unknown = http.post("/transfers/abc123/commit", "{}");
        assertEquals(200, unknown.status());
        assertTrue(unknown.body().path("unknown").asBoolean());
        assertEquals("unknown", http.get("/transfers/abc123").body().path("phase").asText());
        assertEquals(404, http.post("/agents/no-such-agent/dispatch", "{\"target\":\"" + beta.url() + "\"}").status());
        client.create(alpha.url(), "jaglets.examples.EchoJaglet", null, "stays", null, null);
        assertEquals(400, http.post("/agents/stays/dispatch", "{}").status());
        assertEquals(400, http.post("/agents/stays/dispatch", "{\"ticket\":{\"destination\":5}}").status());
        assertEquals(400, http.post("/agents/stays/dispatch",
                "{\"ticket\":{\"destination\":\"" + beta.url() + "\",\"arrival_mode\":\"sideways\"}}").status());
        assertEquals("pong", client.proxy(alpha.url(), "stays").send(Message.of("ping")));
    }
}

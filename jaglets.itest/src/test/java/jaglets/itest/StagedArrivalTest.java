package jaglets.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.ArrivalMode;
import jaglets.api.Message;
import jaglets.http.HostClient;
import jaglets.protocol.Envelope;
import jaglets.protocol.Json;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prepared arrival is loaded into a child of its own before the source decides; nothing of it
 * is visible or runs a hook until the commit, an abort lets that child go, and a commit makes
 * the same child the agent's.
 */
class StagedArrivalTest {
    @TempDir
    static Path home;
    static HostProcess host;
    static HostClient client;
    static Http http;

    @BeforeAll
    static void start() {
        host = HostProcess.start(home, "stage");
        client = HostClient.create();
        http = new Http(host.url(), null);
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void abortedArrivalLeavesNoChildAndNoAgent() {
        String transfer = prepare("staged-abort");
        long pid = awaitChildOf("staged-abort");
        assertEquals(404, http.get("/agents/staged-abort").status(), "a prepared arrival is not an agent yet");

        assertEquals(200, http.post("/transfers/" + transfer + "/abort", "{}").status());
        HostProcess.awaitCondition(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true),
                Duration.ofSeconds(10), "the staged child " + pid + " to exit");
        assertEquals(404, http.get("/agents/staged-abort").status());
        assertFalse(arrivalEvents("staged-abort"), "an aborted arrival announces nothing");
        assertEquals("unknown", http.get("/transfers/" + transfer).body().path("phase").asText());
    }

    @Test
    void committedArrivalRunsItsHookOnceInTheStagedChild() {
        String transfer = prepare("staged-commit");
        long pid = awaitChildOf("staged-commit");
        assertFalse(arrivalEvents("staged-commit"));

        Http.Reply committed = http.post("/transfers/" + transfer + "/commit", "{\"settle\":5}");
        assertEquals(200, committed.status(), committed.body().toString());
        assertEquals(pid, client.agent(host.url(), "staged-commit").pid(), "the staged child became the agent's");
        var proxy = client.proxy(host.url(), "staged-commit");
        @SuppressWarnings("unchecked")
        List<String> hooks = (List<String>) proxy.send(Message.of("hooks"));
        assertEquals(List.of("creation", "arrival:dispatch@stage:from:elsewhere"),
                hooks.stream().filter(h -> !h.equals("run")).toList(), "the arrival hook ran once, after the commit");
        assertEquals(8L, proxy.send(Message.of("incr")), "the state came with the agent");
        assertTrue(arrivalEvents("staged-commit"));
    }

    @Test
    void anArrivalWhoseStagedChildDiedIsLoadedAfreshAtTheCommit() {
        String transfer = prepare("staged-lost");
        long pid = awaitChildOf("staged-lost");
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        HostProcess.awaitCondition(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true),
                Duration.ofSeconds(10), "the staged child " + pid + " to die");

        Http.Reply committed = http.post("/transfers/" + transfer + "/commit", "{\"settle\":5}");
        assertEquals(200, committed.status(), committed.body().toString());
        var summary = client.agent(host.url(), "staged-lost");
        assertTrue(summary.active(), "the agent lives, not stored away as a failed arrival");
        assertNotEquals(pid, summary.pid());
        assertEquals(8L, client.proxy(host.url(), "staged-lost").send(Message.of("incr")));
    }

    @Test
    void anEnvelopeSentAsSmileIsStoredAsTheBytesSent() throws Exception {
        ObjectNode wire = envelope("staged-bytes").toWire();
        wire.put("from_a_newer_source", true); // what this host does not read stays in the stored bytes
        byte[] sent = Json.BINARY.writeValueAsBytes(wire);
        Http.Reply reply = http.send(http.builder("/transfers").header("Content-Type", Json.SMILE_MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(sent)).build());
        assertEquals(200, reply.status(), reply.body().toString());

        String transfer = wire.path("transfer_id").asText();
        Path stored = host.dataDir().resolve("transfers").resolve("in").resolve(transfer + ".envelope");
        assertArrayEquals(sent, Files.readAllBytes(stored));
        assertEquals(200, http.post("/transfers/" + transfer + "/abort", "{}").status());
    }

    /**
     * Offers the host an EchoJaglet from a source that does not exist (so only this test decides),
     * once the host has a booted child ready: only such a child is loaded ahead.
     */
    private static String prepare(String agentId) {
        Envelope envelope = envelope(agentId);
        Http.Reply reply = http.post("/transfers", envelope.toWire().toString());
        assertEquals(200, reply.status(), reply.body().toString());
        return envelope.transferId();
    }

    private static Envelope envelope(String agentId) {
        HostProcess.awaitCondition(() -> http.get("/health").body().path("pooled_children").asInt() > 0,
                Duration.ofSeconds(60), "a booted child in the pool");
        String version = client.bundles(host.url()).stream().filter(b -> b.symbolicName().equals("jaglets.examples"))
                .findFirst().orElseThrow().version();
        ObjectNode state = Json.object();
        state.put("count", 7);
        state.set("hooks", Json.toTree(List.of("creation")));
        return new Envelope("t" + agentId.replace("-", ""), Envelope.Kind.DISPATCH, agentId, null,
                "jaglets.examples.EchoJaglet", "jaglets.examples", version, null, null, state, "elsewhere",
                "http://127.0.0.1:9", "stage", host.url(), ArrivalMode.ACTIVATE);
    }

    /** The child whose command line names the agent: the staged load shows the id as any load does. */
    private static long awaitChildOf(String agentId) {
        long[] found = new long[1];
        HostProcess.awaitCondition(() -> {
            Optional<ProcessHandle> child = ProcessHandle.allProcesses()
                    .filter(p -> commandLine(p.pid()).contains("-Djaglets.agent.id=" + agentId + " ")).findFirst();
            child.ifPresent(p -> found[0] = p.pid());
            return child.isPresent();
        }, Duration.ofSeconds(10), "a child loaded with " + agentId);
        return found[0];
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"))).replace('\0', ' ');
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static boolean arrivalEvents(String agentId) {
        return client.events(host.url(), 0, 1000).stream()
                .anyMatch(e -> e.kind().equals("arrival") && agentId.equals(e.agentId()));
    }
}

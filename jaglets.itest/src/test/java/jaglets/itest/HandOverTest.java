package jaglets.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jaglets.protocol.Envelope;
import jaglets.protocol.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source's side of the hand-over, against a stand-in target that the test steers, so that each
 * step can be held or refused. A clone's source keeps its agent, so it stores nothing while the
 * copy is handed over: it answers for the transfer from memory while the target prepares the copy,
 * and writes the decision only when the commit does not get through, to retry it. A dispatched
 * agent that lived only in its child has its decision stored while the commit goes out, and the
 * source says "released" from the moment it let the agent go.
 */
class HandOverTest {
    @TempDir
    static Path home;
    static HostProcess host;
    static Http http;

    private FakeTarget target;

    @BeforeAll
    static void start() {
        host = HostProcess.start(home, "cloner");
        http = new Http(host.url(), null);
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    @BeforeEach
    void startTarget() throws IOException {
        target = new FakeTarget();
    }

    @AfterEach
    void stopTarget() {
        target.close();
    }

    @Test
    void whileTheCopyIsPreparedTheSourceSaysOfferedAndAfterwardsKeepsNothing() throws Exception {
        create("clone-held");
        target.holdPrepares.set(true);
        CompletableFuture<Http.Reply> cloning = CompletableFuture.supplyAsync(() -> clone("clone-held"));

        String transfer = target.prepared.poll(30, TimeUnit.SECONDS);
        assertNotNull(transfer, "the target was asked to prepare the copy");
        assertEquals("offered", phase(transfer), "a target that asks while it prepares is told to wait, not to drop");
        target.release.countDown();

        Http.Reply reply = cloning.get(30, TimeUnit.SECONDS);
        assertEquals(200, reply.status(), reply.body().toString());
        assertEquals(target.url(), reply.body().path("proxy").path("host_url").asText());
        assertEquals(1, target.commits.get());
        assertEquals("unknown", phase(transfer), "a clone that landed leaves nothing to recover");
        assertFalse(outgoingFiles(transfer), "no transfer file was left at the source");
        assertEquals(200, http.post("/agents/clone-held/messages", "{\"message\":{\"kind\":\"ping\"}}").status());
    }

    @Test
    void aCommitThatDoesNotGetThroughIsStoredAndRetriedUntilTheTargetHasIt() throws Exception {
        create("clone-retried");
        target.refuseCommits.set(true);

        Http.Reply reply = clone("clone-retried");
        assertEquals(200, reply.status(), "the copy is promised once the decision is stored: " + reply.body());
        String transfer = target.prepared.poll(5, TimeUnit.SECONDS);
        assertNotNull(transfer);
        assertEquals("released", phase(transfer), "the decision outlives a restart");
        assertTrue(outgoingFiles(transfer), "the decision is on disk");

        target.refuseCommits.set(false);
        HostProcess.awaitCondition(() -> "unknown".equals(phase(transfer)), Duration.ofSeconds(20),
                "the source to retry the commit and forget the transfer");
        assertTrue(target.commits.get() >= 2, "refused once, then retried: " + target.commits.get());
        assertFalse(outgoingFiles(transfer));
    }

    @Test
    void aDispatchedAgentIsReleasedWhileItsCommitIsOnItsWayAndNothingIsLeftAfter() throws Exception {
        create("moved-held");
        target.holdCommits.set(true);
        CompletableFuture<Http.Reply> moving = CompletableFuture.supplyAsync(() -> dispatch("moved-held"));

        String transfer = target.committing.poll(30, TimeUnit.SECONDS);
        assertNotNull(transfer, "the target was asked to commit");
        assertEquals("released", phase(transfer), "a target that asks while the commit is held must land the agent");
        HostProcess.awaitCondition(() -> outgoingFiles(transfer), Duration.ofSeconds(20),
                "the decision to reach the disk while the commit is held");
        target.release.countDown();

        Http.Reply reply = moving.get(30, TimeUnit.SECONDS);
        assertEquals(200, reply.status(), reply.body().toString());
        assertEquals(target.url(), reply.body().path("proxy").path("host_url").asText());
        HostProcess.awaitCondition(() -> !outgoingFiles(transfer), Duration.ofSeconds(20),
                "the source to forget the transfer the target confirmed");
        assertEquals("unknown", phase(transfer));
        assertEquals(1, target.commits.get());
    }

    @Test
    void aDispatchWhoseCommitDoesNotGetThroughIsRetriedFromTheStoredDecision() throws Exception {
        create("moved-retried");
        target.refuseCommits.set(true);

        Http.Reply reply = dispatch("moved-retried");
        assertEquals(200, reply.status(), "the agent was released before the commit: " + reply.body());
        String transfer = target.prepared.poll(5, TimeUnit.SECONDS);
        assertNotNull(transfer);
        assertEquals("released", phase(transfer));
        HostProcess.awaitCondition(() -> outgoingFiles(transfer), Duration.ofSeconds(20), "the decision on disk");

        target.refuseCommits.set(false);
        HostProcess.awaitCondition(() -> "unknown".equals(phase(transfer)), Duration.ofSeconds(20),
                "the source to retry the commit and forget the transfer");
        assertTrue(target.commits.get() >= 2, "refused once, then retried: " + target.commits.get());
        assertFalse(outgoingFiles(transfer));
    }

    private Http.Reply dispatch(String agentId) {
        return http.post("/agents/" + agentId + "/dispatch", "{\"target\":\"" + target.url() + "\"}");
    }

    private static void create(String agentId) {
        Http.Reply created = http.post("/agents",
                "{\"agent_class_name\":\"jaglets.examples.EchoJaglet\",\"agent_id\":\"" + agentId + "\"}");
        assertEquals(200, created.status(), created.body().toString());
    }

    private Http.Reply clone(String agentId) {
        return http.post("/agents/" + agentId + "/clone", "{\"target\":\"" + target.url() + "\"}");
    }

    private static String phase(String transfer) {
        return http.get("/transfers/" + transfer).body().path("phase").asText();
    }

    private static boolean outgoingFiles(String transfer) {
        Path out = host.dataDir().resolve("transfers").resolve("out");
        try (var files = Files.list(out)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith(transfer + ".")
                    && !f.getFileName().toString().endsWith(".tmp"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Answers a host's preflight, prepare and commit as the test says. */
    private static final class FakeTarget implements AutoCloseable {
        final HttpServer server;
        final BlockingQueue<String> prepared = new LinkedBlockingQueue<>();
        final AtomicBoolean holdPrepares = new AtomicBoolean();
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean refuseCommits = new AtomicBoolean();
        final AtomicInteger commits = new AtomicInteger();
        final AtomicBoolean holdCommits = new AtomicBoolean();
        final BlockingQueue<String> committing = new LinkedBlockingQueue<>();

        FakeTarget() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void handle(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            ObjectNode reply = Json.object();
            int status = 200;
            if (path.equals("/health")) {
                reply.put("name", "fake-target");
                reply.put("address", url());
                reply.putArray("capabilities").add("transfers");
            } else if (path.equals("/transfers")) {
                Envelope envelope = Envelope.fromWire(Json.BINARY.readTree(body));
                prepared.add(envelope.transferId());
                if (holdPrepares.get()) {
                    await(release);
                }
                reply.put("transfer_id", envelope.transferId());
                reply.put("phase", "prepared");
            } else if (path.startsWith("/transfers/") && path.endsWith("/commit")) {
                commits.incrementAndGet();
                committing.add(path.substring("/transfers/".length(), path.length() - "/commit".length()));
                if (holdCommits.get()) {
                    await(release);
                }
                if (refuseCommits.get()) {
                    status = 503;
                    reply.put("error_type", "HostError");
                    reply.put("error", "not now");
                } else {
                    reply.putObject("proxy").put("host_url", url()).put("agent_id", "copy");
                }
            } else {
                status = 404;
                reply.put("error_type", "NotFoundError");
                reply.put("error", "no route for " + path);
            }
            byte[] bytes = reply.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        private static void await(CountDownLatch latch) {
            try {
                latch.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            release.countDown();
            server.stop(0);
        }
    }
}

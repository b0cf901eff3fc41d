package jaglets.bench.http;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The host as the HTTP benchmark drives it, through its HTTP API only: EchoJaglet agents, the
 * request bodies the figures send, and waits with deadlines (pool refilled, child exited).
 */
final class HostApi {
    static final String ECHO = "jaglets.examples.EchoJaglet";
    /** The body of every measured message: {@code ping}, answered {@code {"result": "pong"}}. */
    static final byte[] PING = "{\"message\":{\"kind\":\"ping\"}}".getBytes(StandardCharsets.UTF_8);
    /** How long a pool may take to refill or a released child to exit. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(120);
    private static final long POLL_MILLIS = 5;

    private final JdkHttp http;
    private final int poolSize;

    HostApi(JdkHttp http, int poolSize) {
        this.http = http;
        this.poolSize = poolSize;
    }

    JdkHttp http() {
        return http;
    }

    static String messagesPath(String agentId) {
        return "/agents/" + encode(agentId) + "/messages";
    }

    /** The creation payload of paglets' clients: {@code {agent_class_name, agent_id, state}}. */
    static byte[] createBody(String agentId) {
        return ("{\"agent_class_name\":\"" + ECHO + "\",\"agent_id\":\"" + agentId + "\",\"state\":{\"count\":0}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Creates an EchoJaglet; fails unless the host answers with its proxy. */
    void create(String agentId) throws IOException, InterruptedException {
        JdkHttp.Reply reply = http.post("/agents", createBody(agentId));
        checkCreated(agentId, reply);
    }

    static void checkCreated(String agentId, JdkHttp.Reply reply) throws IOException {
        if (reply.status() != 200 || !(reply.json().get("proxy") instanceof Map<?, ?> proxy)
                || !agentId.equals(proxy.get("agent_id"))) {
            throw new IOException("POST /agents for " + agentId + " answered " + reply.status() + ": " + reply.body());
        }
    }

    /** Sends {@code ping}; fails unless the answer is {@code pong}. */
    void ping(String agentId) throws IOException, InterruptedException {
        checkPong(agentId, http.post(messagesPath(agentId), PING));
    }

    static void checkPong(String agentId, JdkHttp.Reply reply) throws IOException {
        if (reply.status() != 200 || !"pong".equals(reply.json().get("result"))) {
            throw new IOException("agent " + agentId + " answered ping with " + reply.status() + " " + reply.body());
        }
    }

    void dispose(String agentId) throws IOException, InterruptedException {
        http.postOk("/agents/" + encode(agentId) + "/dispose", "{}");
    }

    /** The pid of the agent's child JVM, if it has one. */
    Optional<Long> childPid(String agentId) throws IOException, InterruptedException {
        return http.getOk("/agents/" + encode(agentId)).get("pid") instanceof Number pid
                ? Optional.of(pid.longValue()) : Optional.empty();
    }

    /** {@code GET /health} as JSON. */
    Map<String, Object> health() throws IOException, InterruptedException {
        return http.getOk("/health");
    }

    /**
     * Waits until the child-class archive is recorded and the pool holds its booted children, so
     * a measurement does not share the CPU with a booting JVM.
     */
    void awaitSettled() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (true) {
            Map<String, Object> health = health();
            boolean archive = Boolean.TRUE.equals(health.get("child_archive"));
            long pooled = health.get("pooled_children") instanceof Number n ? n.longValue() : -1;
            if (archive && pooled >= poolSize) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the host did not settle within " + SETTLE_TIMEOUT + ": archive " + archive
                        + ", " + pooled + " of " + poolSize + " pooled children");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Waits for a released child JVM to be gone. */
    static void awaitExit(Optional<Long> pid) throws IOException, InterruptedException {
        Optional<ProcessHandle> handle = pid.flatMap(ProcessHandle::of);
        if (handle.isEmpty()) {
            return;
        }
        try {
            handle.get().onExit().get(SETTLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("child " + pid.get() + " did not exit within " + SETTLE_TIMEOUT, e);
        }
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package jaglets.runtime.internal.child;

import com.fasterxml.jackson.databind.JsonNode;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.protocol.Json;
import jaglets.protocol.Ops;
import jaglets.protocol.RpcPeer;
import jaglets.runtime.internal.storage.ClassStorage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One child JVM as the host sees it: the process, its channel, and the agent it runs (once
 * assigned). The child's stdout and stderr go to the host log, tagged with the agent id.
 */
public final class ChildProcess implements RpcPeer.Handler {
    private static final Logger LOG = LoggerFactory.getLogger("jaglets.child");

    private final Process process;
    private final String token;
    private final Path childDir;
    private final CompletableFuture<ChildProcess> connected = new CompletableFuture<>();
    private volatile RpcPeer peer;
    private volatile String agentId;
    private volatile ChildListener listener;
    private volatile boolean released;

    ChildProcess(Process process, String token, Path childDir) {
        this.process = process;
        this.token = token;
        this.childDir = childDir;
        Thread pump = new Thread(this::pumpOutput, "jaglets-child-out-" + process.pid());
        pump.setDaemon(true);
        pump.start();
        process.onExit().thenAccept(p -> exited());
    }

    String token() {
        return token;
    }

    public long pid() {
        return process.pid();
    }

    public String agentId() {
        return agentId;
    }

    public boolean isAlive() {
        return process.isAlive() && peer != null && !peer.isClosed();
    }

    /** Completes when the child has booted its framework and connected. */
    CompletableFuture<ChildProcess> connected() {
        return connected;
    }

    void attach(RpcPeer channel) {
        this.peer = channel;
        channel.start(this);
        connected.complete(this);
    }

    /** Hands the child to an agent: from now on its calls and exit go to {@code agentListener}. */
    public void assign(String id, ChildListener agentListener) {
        this.agentId = id;
        this.listener = agentListener;
    }

    public CompletableFuture<JsonNode> request(String op, JsonNode body) {
        RpcPeer channel = peer;
        if (channel == null) {
            return CompletableFuture.failedFuture(new JagletException(ErrorType.AGENT_CRASHED, "child not connected"));
        }
        return channel.request(op, body);
    }

    public void notify(String op, JsonNode body) {
        RpcPeer channel = peer;
        if (channel != null) {
            channel.notify(op, body);
        }
    }

    /**
     * Ends the child: asks it to exit, then terminates and finally kills it. Returns once the
     * process is gone or {@code grace} has passed twice.
     */
    public void terminate(Duration grace) {
        released = true;
        notify(Ops.EXIT, Json.object());
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Waits up to {@code timeout} for the process to end; returns whether it has. */
    public boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** The exit status; only valid once the process has ended. */
    public int exitCode() {
        return process.exitValue();
    }

    /** Kills the child at once (host shutdown of crashed or stuck children). */
    public void kill() {
        released = true;
        process.destroyForcibly();
    }

    /** Whether the host let this child go on purpose (exit is then not a crash). */
    public boolean isReleased() {
        return released;
    }

    @Override
    public void onRequest(String op, JsonNode body, RpcPeer.Reply reply) {
        ChildListener l = listener;
        if (l == null) {
            reply.fail(new JagletException(ErrorType.LIFECYCLE, "this child runs no agent yet"));
            return;
        }
        l.onCall(this, op, body, reply);
    }

    @Override
    public void onEvent(String op, JsonNode body) {
        ChildListener l = listener;
        if (l != null) {
            l.onEvent(this, op, body);
        }
    }

    private void exited() {
        RpcPeer channel = peer;
        if (channel != null) {
            channel.close();
        }
        connected.completeExceptionally(new JagletException(ErrorType.AGENT_CRASHED,
                "child JVM " + process.pid() + " exited with code " + process.exitValue() + " before it connected"));
        try {
            ClassStorage.deleteTree(childDir);
        } catch (RuntimeException e) {
            LOG.debug("could not remove child folder {}: {}", childDir, e.toString());
        }
        ChildListener l = listener;
        if (l != null) {
            l.onExit(this, process.exitValue());
        }
    }

    private void pumpOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String id = agentId;
                LOG.info("[agent {} pid {}] {}", id == null ? "(pooled)" : id, process.pid(), line);
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}

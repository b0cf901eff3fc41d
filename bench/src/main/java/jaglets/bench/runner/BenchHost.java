package jaglets.bench.runner;

import jaglets.api.AgentSummary;
import jaglets.api.JagletException;
import jaglets.api.Message;
import jaglets.api.SendOptions;
import jaglets.runtime.CreateRequest;
import jaglets.runtime.Host;
import jaglets.runtime.HostHealth;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The {@link Host} as the scenarios use it: EchoJaglet agents and waits with deadlines. */
final class BenchHost {
    static final String ECHO = "jaglets.examples.EchoJaglet";
    /** How long a pool may take to refill or a released child to exit. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);
    private static final long POLL_MILLIS = 2;

    private final Host host;
    private final int poolSize;

    BenchHost(Host host, int poolSize) {
        this.host = host;
        this.poolSize = poolSize;
    }

    Host host() {
        return host;
    }

    int poolSize() {
        return poolSize;
    }

    AgentSummary createEcho(String agentId) {
        return host.create(CreateRequest.of(ECHO).withAgentId(agentId));
    }

    Object call(String agentId, String kind) {
        return host.call(agentId, Message.of(kind), SendOptions.DEFAULT);
    }

    void disposeQuietly(String agentId) {
        try {
            host.dispose(agentId);
        } catch (JagletException e) {
            Progress.say("could not dispose " + agentId + ": " + e);
        }
    }

    Optional<Long> childPid(String agentId) {
        return Optional.ofNullable(host.agent(agentId).pid());
    }

    /**
     * Waits until the child-class archive is recorded and the pool holds {@code poolSize} booted
     * children, so a measurement does not share the CPU with a booting JVM.
     */
    void awaitSettled() {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (true) {
            HostHealth health = host.health();
            if (health.childArchive() && health.pooledChildren() >= poolSize) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the host did not settle within " + SETTLE_TIMEOUT + ": archive "
                        + health.childArchive() + ", " + health.pooledChildren() + " of " + poolSize + " pooled children");
            }
            pause();
        }
    }

    /** Waits for a released child JVM to be gone. */
    static void awaitExit(Optional<Long> pid) {
        Optional<ProcessHandle> handle = pid.flatMap(ProcessHandle::of);
        if (handle.isEmpty()) {
            return;
        }
        try {
            handle.get().onExit().get(SETTLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("child " + pid.get() + " did not exit within " + SETTLE_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

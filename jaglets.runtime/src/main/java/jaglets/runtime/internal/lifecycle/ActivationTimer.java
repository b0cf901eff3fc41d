package jaglets.runtime.internal.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Wakes inactive agents at their policy's {@code activate_at}. A timer that fires for an agent
 * that is no longer inactive does nothing, so timers are never cancelled.
 */
final class ActivationTimer implements AutoCloseable {
    private final ScheduledExecutorService scheduler;
    private final Consumer<String> activate;

    ActivationTimer(Consumer<String> activate) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, HostRuntime.named("jaglets-timer"));
        executor.setRemoveOnCancelPolicy(true);
        this.scheduler = executor;
        this.activate = activate;
    }

    void schedule(String agentId, Instant at) {
        long delay = Math.max(0, Duration.between(Instant.now(), at).toMillis());
        scheduler.schedule(() -> activate.accept(agentId), delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}

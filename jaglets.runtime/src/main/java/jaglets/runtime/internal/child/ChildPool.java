package jaglets.runtime.internal.child;

import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pre-booted children (framework up, channel connected, agent code preloaded), so that creating
 * or activating an agent costs a bundle install rather than a JVM start. Taken children are
 * replaced in the background, a little later: a JVM that boots takes most of a small machine's
 * CPU for half a second, which the agent just started, and its first messages, need more.
 */
public final class ChildPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChildPool.class);
    /** How long a cold child may take to boot and connect. */
    static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);
    /** How long a replacement waits after a take while the pool still has a child to give. */
    static final Duration REFILL_DELAY = Duration.ofMillis(300);

    private final ChildLauncher launcher;
    private final int size;
    private final LinkedBlockingDeque<ChildProcess> ready = new LinkedBlockingDeque<>();
    private final AtomicInteger starting = new AtomicInteger();
    private final ScheduledExecutorService refiller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jaglets-pool-refill");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean refillScheduled = new AtomicBoolean();
    private volatile boolean closed;
    private volatile Function<ChildProcess, CompletableFuture<?>> onReady = child -> CompletableFuture.completedFuture(null);

    public ChildPool(ChildLauncher launcher, int size) {
        this.launcher = launcher;
        this.size = size;
    }

    /**
     * Called for every booted child before it joins the pool (to preload agent code into it); the
     * child joins when the returned future completes, however it completes.
     */
    public void onReady(Function<ChildProcess, CompletableFuture<?>> hook) {
        this.onReady = hook;
    }

    /** Starts filling the pool in the background (the archive is recorded first if missing). */
    public void start() {
        refiller.execute(launcher::recordArchiveIfMissing);
        refill();
    }

    public int readyCount() {
        return ready.size();
    }

    public boolean archiveReady() {
        return launcher.archiveReady();
    }

    public int size() {
        return size;
    }

    /** A booted child if one is ready now, else {@code null}: for work that may as well wait. */
    public ChildProcess poll() {
        ChildProcess child;
        while ((child = ready.pollFirst()) != null) {
            if (child.isAlive()) {
                return child;
            }
        }
        return null;
    }

    /**
     * A booted child: from the pool if one is ready, else a cold start. The pool is not refilled
     * here: booting a replacement JVM would compete for the CPU with the agent being started, so
     * the caller calls {@link #replenish()} once it is done.
     */
    public ChildProcess take() {
        ChildProcess child = poll();
        return child != null ? child : await(launcher.launch(false));
    }

    /**
     * Starts booting children in the background until the pool is full again: at once if the
     * pool is empty, else after {@link #REFILL_DELAY}.
     */
    public void replenish() {
        if (ready.isEmpty()) {
            refill();
        } else if (!closed && refillScheduled.compareAndSet(false, true)) {
            try {
                refiller.schedule(() -> {
                    refillScheduled.set(false);
                    refill();
                }, REFILL_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closed meanwhile: no more children
            }
        }
    }

    private void refill() {
        if (closed) {
            return;
        }
        while (ready.size() + starting.get() < size) {
            starting.incrementAndGet();
            try {
                refiller.execute(() -> {
                    try {
                        if (!closed) {
                            ChildProcess child = await(launcher.launch(true));
                            prepare(child);
                            if (closed) {
                                child.kill();
                            } else {
                                ready.addLast(child);
                            }
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("could not start a pool child: {}", e.toString());
                        sleepQuietly(Duration.ofSeconds(1));
                    } finally {
                        starting.decrementAndGet();
                    }
                });
            } catch (RejectedExecutionException e) {
                starting.decrementAndGet(); // closed meanwhile: no more children
                return;
            }
        }
    }

    private void prepare(ChildProcess child) {
        try {
            onReady.apply(child).get(BOOT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // preloading is an optimisation: the child still serves, it loads its agent's code itself
            LOG.debug("a pool child was not prepared: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ChildProcess await(ChildProcess child) {
        try {
            return child.connected().get(BOOT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            child.kill();
            throw new JagletException(ErrorType.HOST, "a child JVM failed to start: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            child.kill();
            throw new JagletException(ErrorType.TIMEOUT, "a child JVM did not connect within " + BOOT_TIMEOUT);
        } catch (InterruptedException e) {
            child.kill();
            Thread.currentThread().interrupt();
            throw new JagletException(ErrorType.TIMEOUT, "interrupted while starting a child JVM");
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        refiller.shutdownNow();
        List<ChildProcess> left = new ArrayList<>();
        ready.drainTo(left);
        left.forEach(ChildProcess::kill);
    }
}

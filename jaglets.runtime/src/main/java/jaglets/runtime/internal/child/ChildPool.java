package jaglets.runtime.internal.child;

import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pre-booted children (framework up, channel connected), so that creating or activating an
 * agent costs a bundle install rather than a JVM start. Taken children are replaced in the
 * background.
 */
public final class ChildPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChildPool.class);
    /** How long a cold child may take to boot and connect. */
    static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);

    private final ChildLauncher launcher;
    private final int size;
    private final LinkedBlockingDeque<ChildProcess> ready = new LinkedBlockingDeque<>();
    private final AtomicInteger starting = new AtomicInteger();
    private final ExecutorService refiller = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jaglets-pool-refill");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;
    private volatile java.util.function.Consumer<ChildProcess> onReady = child -> { };

    public ChildPool(ChildLauncher launcher, int size) {
        this.launcher = launcher;
        this.size = size;
    }

    /** Called for every child that joins the pool (e.g. to preload agent code into it). */
    public void onReady(java.util.function.Consumer<ChildProcess> hook) {
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

    /**
     * A booted child: from the pool if one is ready, else a cold start. The pool is not refilled
     * here: booting a replacement JVM would compete for the CPU with the agent being started, so
     * the caller calls {@link #replenish()} once it is done.
     */
    public ChildProcess take() {
        ChildProcess child;
        while ((child = ready.pollFirst()) != null) {
            if (child.isAlive()) {
                return child;
            }
        }
        return await(launcher.launch(null));
    }

    /** Starts booting children in the background until the pool is full again. */
    public void replenish() {
        refill();
    }

    private void refill() {
        if (closed) {
            return;
        }
        while (ready.size() + starting.get() < size) {
            starting.incrementAndGet();
            refiller.execute(() -> {
                try {
                    if (!closed) {
                        ChildProcess child = await(launcher.launch(null));
                        if (closed) {
                            child.kill();
                        } else {
                            onReady.accept(child);
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

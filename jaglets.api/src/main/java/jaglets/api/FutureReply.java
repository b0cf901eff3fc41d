package jaglets.api;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The reply of a {@link JagletProxy#sendFuture} send, available later. */
public final class FutureReply {
    private final CompletableFuture<Object> future;

    public FutureReply(CompletableFuture<Object> future) {
        this.future = future;
    }

    public boolean isAvailable() {
        return future.isDone();
    }

    /** Waits up to {@code timeout}; returns whether the reply is now available. */
    public boolean waitForReply(Duration timeout) {
        try {
            future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return future.isDone();
        }
    }

    /** The reply, waiting up to {@code timeout}; the handler's error is rethrown. */
    public Object getReply(Duration timeout) {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new JagletException(ErrorType.TIMEOUT, "no reply within " + timeout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof JagletException je) {
                throw je;
            }
            throw new JagletException(ErrorType.HOST, String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JagletException(ErrorType.TIMEOUT, "interrupted while waiting for a reply");
        }
    }

    public String getStringReply(Duration timeout) {
        Object reply = getReply(timeout);
        return reply == null ? null : reply.toString();
    }

    public long getLongReply(Duration timeout) {
        return ((Number) getReply(timeout)).longValue();
    }

    public double getDoubleReply(Duration timeout) {
        return ((Number) getReply(timeout)).doubleValue();
    }

    public boolean getBooleanReply(Duration timeout) {
        return (Boolean) getReply(timeout);
    }

    /** The underlying future, for composition. */
    public CompletableFuture<Object> future() {
        return future;
    }
}

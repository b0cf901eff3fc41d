package jaglets.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A set of {@link FutureReply}s, read in completion order. */
public final class ReplySet implements Iterable<FutureReply> {
    private final List<FutureReply> replies = new ArrayList<>();
    private final LinkedBlockingQueue<FutureReply> completed = new LinkedBlockingQueue<>();
    private int taken;

    public synchronized void addFutureReply(FutureReply reply) {
        replies.add(reply);
        reply.future().whenComplete((value, error) -> completed.add(reply));
    }

    public synchronized boolean areAllAvailable() {
        return replies.stream().allMatch(FutureReply::isAvailable);
    }

    public synchronized int countAvailable() {
        return (int) replies.stream().filter(FutureReply::isAvailable).count();
    }

    public synchronized int countUnavailable() {
        return replies.size() - countAvailable();
    }

    public synchronized boolean isAnyAvailable() {
        return replies.stream().anyMatch(FutureReply::isAvailable);
    }

    /** Whether {@link #getNextFutureReply} has replies left to hand out. */
    public synchronized boolean hasMoreFutureReplies() {
        return taken < replies.size();
    }

    /** Waits up to {@code timeout} for every reply; returns whether all arrived. */
    public boolean waitForAllReplies(Duration timeout) {
        CompletableFuture<?>[] all;
        synchronized (this) {
            all = replies.stream().map(FutureReply::future).toArray(CompletableFuture[]::new);
        }
        try {
            CompletableFuture.allOf(all).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // a failed reply still counts as available; timeouts fall through to the check below
        }
        return areAllAvailable();
    }

    /** The next reply to complete, waiting up to {@code timeout}; {@code null} if none came. */
    public FutureReply getNextFutureReply(Duration timeout) {
        synchronized (this) {
            if (taken >= replies.size()) {
                return null;
            }
        }
        try {
            FutureReply next = completed.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (next != null) {
                synchronized (this) {
                    taken++;
                }
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Waits up to {@code timeout} for the next reply; returns whether one is ready. */
    public boolean waitForNextFutureReply(Duration timeout) {
        FutureReply peeked;
        try {
            peeked = completed.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (peeked == null) {
            return false;
        }
        // put it back in front of later completions
        List<FutureReply> rest = new ArrayList<>();
        completed.drainTo(rest);
        completed.add(peeked);
        completed.addAll(rest);
        return true;
    }

    @Override
    public synchronized Iterator<FutureReply> iterator() {
        return List.copyOf(replies).iterator();
    }

    public synchronized int size() {
        return replies.size();
    }
}

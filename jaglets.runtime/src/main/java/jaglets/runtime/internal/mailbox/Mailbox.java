package jaglets.runtime.internal.mailbox;

import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.MailboxStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * One agent's mailbox on the host: one item in flight at a time, higher priority first, FIFO
 * within a priority. Priority 0 (unqueued) items skip the queue and go out at once; they can
 * overtake queued items but the agent still handles one message at a time. While the mailbox is
 * paused (the agent is starting, activating or stopping) nothing goes out, unqueued items
 * included; they go first on {@link #resume()}.
 *
 * <p>The dispatcher is called without the mailbox lock held, on the submitting thread or on the
 * thread that reports the previous item finished.
 */
public final class Mailbox<T> {

    /** Sends one item on its way and calls {@code done} exactly once when it has been handled. */
    public interface Dispatcher<T> {
        void dispatch(T item, Completion done);
    }

    /** Reports how a dispatched item ended. */
    @FunctionalInterface
    public interface Completion {
        void finished(boolean delivered);
    }

    /** Priority used internally for queued messages replayed after activation: before anything else. */
    public static final int REPLAY_PRIORITY = 11;

    private record Entry<T>(T item, int priority, long sequence) {
    }

    private final PriorityQueue<Entry<T>> queue = new PriorityQueue<>((a, b) -> a.priority() != b.priority()
            ? Integer.compare(b.priority(), a.priority())
            : Long.compare(a.sequence(), b.sequence()));
    /** Unqueued items submitted while paused, in arrival order. */
    private final List<Entry<T>> heldUnqueued = new ArrayList<>();
    private final Dispatcher<T> dispatcher;
    private long sequence;
    private boolean busy;
    private boolean paused;
    private boolean closed;
    private int inFlight;
    private long delivered;
    private long failed;
    private CompletableFuture<Void> idle;
    /** Set while this thread dispatches: items to send next, handed back by completions instead of recursing. */
    private final ThreadLocal<Deque<Entry<T>>> handedBack = new ThreadLocal<>();

    public Mailbox(Dispatcher<T> dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** Queues or dispatches an item. Fails when the mailbox is closed. */
    public void submit(T item, int priority) {
        Entry<T> entry;
        synchronized (this) {
            if (closed) {
                throw new JagletException(ErrorType.AGENT_INACTIVE, "the agent's mailbox is closed");
            }
            entry = new Entry<>(item, priority, sequence++);
            if (priority == 0) {
                if (paused) {
                    heldUnqueued.add(entry);
                    return;
                }
            } else {
                if (busy || paused) {
                    queue.add(entry);
                    return;
                }
                busy = true;
            }
            inFlight++;
        }
        send(List.of(entry));
    }

    /** Dispatches without the lock held; unqueued items are not serial: they do not make the mailbox busy. */
    private void send(List<Entry<T>> entries) {
        Deque<Entry<T>> outer = handedBack.get();
        if (outer != null) {
            // called from inside a dispatch on this thread (an item finished at once): the dispatching
            // loop further up this stack sends it next, so a long queue does not recurse once per item
            outer.addAll(entries);
            return;
        }
        Deque<Entry<T>> pending = new ArrayDeque<>(entries);
        handedBack.set(pending);
        RuntimeException failure = null;
        try {
            for (Entry<T> current; (current = pending.poll()) != null; ) {
                boolean serial = current.priority() != 0;
                try {
                    dispatcher.dispatch(current.item(), ok -> finished(serial, ok));
                } catch (RuntimeException e) {
                    finished(serial, false);
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        } finally {
            handedBack.remove();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void finished(boolean serial, boolean ok) {
        Entry<T> next = null;
        CompletableFuture<Void> nowIdle = null;
        synchronized (this) {
            inFlight--;
            if (ok) {
                delivered++;
            } else {
                failed++;
            }
            if (serial) {
                next = paused || closed ? null : queue.poll();
                busy = next != null;
                if (next != null) {
                    inFlight++;
                } else if (idle != null) {
                    nowIdle = idle;
                    idle = null;
                }
            }
        }
        if (nowIdle != null) {
            nowIdle.complete(null);
        }
        if (next != null) {
            send(List.of(next));
        }
    }

    /**
     * Stops dispatching, unqueued items included; the future completes once no queued item is in
     * flight (an unqueued item already sent may still be).
     */
    public synchronized CompletableFuture<Void> pause() {
        paused = true;
        if (!busy) {
            return CompletableFuture.completedFuture(null);
        }
        if (idle == null) {
            idle = new CompletableFuture<>();
        }
        return idle;
    }

    /** Dispatches again after {@link #pause()}: held unqueued items first, then the queue. */
    public void resume() {
        List<Entry<T>> out;
        synchronized (this) {
            paused = false;
            if (closed) {
                return;
            }
            out = new ArrayList<>(heldUnqueued);
            heldUnqueued.clear();
            Entry<T> next = busy ? null : queue.poll();
            if (next != null) {
                busy = true;
                out.add(next);
            }
            inFlight += out.size();
        }
        if (!out.isEmpty()) {
            send(out);
        }
    }

    /** Takes every waiting item out, in the order they would have been dispatched. */
    public synchronized List<T> drain() {
        List<T> items = new ArrayList<>(heldUnqueued.size() + queue.size());
        heldUnqueued.forEach(entry -> items.add(entry.item()));
        heldUnqueued.clear();
        while (!queue.isEmpty()) {
            items.add(queue.poll().item());
        }
        return items;
    }

    /** Refuses further items and returns the waiting ones. */
    public synchronized List<T> close() {
        closed = true;
        return drain();
    }

    public synchronized MailboxStatus status() {
        return new MailboxStatus(heldUnqueued.size() + queue.size(), inFlight, delivered, failed);
    }
}

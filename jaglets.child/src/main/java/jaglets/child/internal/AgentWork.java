package jaglets.child.internal;

import jaglets.protocol.RpcPeer;
import java.util.ArrayDeque;

/**
 * The agent's work (lifecycle steps, messages, preloading), one item at a time in arrival order.
 * An item that finds nothing running runs at once on the thread that read it
 * ({@link RpcPeer#runOnReader}): a short message is then answered without waking a second
 * thread, while work that calls the host or runs long has reading moved to another thread. Items
 * that arrive meanwhile wait in line.
 */
final class AgentWork {
    private final RpcPeer peer;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private boolean running;

    AgentWork(RpcPeer peer) {
        this.peer = peer;
    }

    /** Called on the thread reading the channel. */
    void submit(Runnable item) {
        synchronized (this) {
            if (running) {
                waiting.addLast(item);
                return;
            }
            running = true;
        }
        peer.runOnReader(() -> runFrom(item));
    }

    private void runFrom(Runnable item) {
        for (Runnable next = item; next != null; next = nextOrIdle()) {
            try {
                next.run();
            } catch (Throwable e) {
                // items answer their own failures; this is a bug in one item, the next still runs
                System.err.println("jaglets child: agent work failed: " + e);
            }
            Thread.interrupted(); // an interrupt the agent left must not reach the next item
        }
    }

    private synchronized Runnable nextOrIdle() {
        Runnable next = waiting.pollFirst();
        if (next == null) {
            running = false;
        }
        return next;
    }
}

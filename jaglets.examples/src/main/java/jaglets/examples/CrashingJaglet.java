package jaglets.examples;

import jaglets.api.CreationEvent;
import jaglets.api.Jaglet;
import jaglets.api.Message;
import jaglets.api.MobilityEvent;
import jaglets.api.OnMessage;
import jaglets.api.PersistencyEvent;

/**
 * An agent that fails in every way a host must survive: a handler that throws, a handler that
 * exits or halts its JVM, a {@code run()} that fails (from the start, or after its next
 * arrival once asked with {@code fail-run-after-arrival}), a creation hook that fails, a
 * deactivation hook that never returns at shutdown.
 */
public class CrashingJaglet extends Jaglet<CrashingJaglet.State> {

    /**
     * What to do wrong.
     *
     * @param failRun {@code run()} throws
     * @param failCreation {@code onCreation} throws
     * @param hangOnShutdown {@code onDeactivating} never returns when the host shuts down
     * @param failRunAfterArrival {@code run()} throws when the agent has just arrived
     */
    public record State(boolean failRun, boolean failCreation, boolean hangOnShutdown, long count,
                        boolean failRunAfterArrival) {
    }

    /** Whether this instance came by a move (not part of the state: it holds for this host only). */
    private volatile boolean arrived;

    @Override
    public void onCreation(CreationEvent event) {
        if (state().failCreation()) {
            throw new IllegalStateException("creation refused on purpose");
        }
    }

    @Override
    public void onArrival(MobilityEvent event) {
        arrived = true;
    }

    @Override
    public void run() {
        if (state().failRun() || arrived && state().failRunAfterArrival()) {
            throw new IllegalStateException("run() failed on purpose");
        }
    }

    @Override
    public void onDeactivating(PersistencyEvent event) {
        if (state().hangOnShutdown() && "shutdown".equals(event.reason())) {
            while (true) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    // keep hanging: this agent never finishes its hook
                }
            }
        }
    }

    @OnMessage("incr")
    long increment() {
        return updateState(s -> new State(s.failRun(), s.failCreation(), s.hangOnShutdown(), s.count() + 1,
                s.failRunAfterArrival())).count();
    }

    @OnMessage("fail-run-after-arrival")
    boolean failRunAfterArrival() {
        return updateState(s -> new State(s.failRun(), s.failCreation(), s.hangOnShutdown(), s.count(), true))
                .failRunAfterArrival();
    }

    @OnMessage("throw")
    Object fail() {
        throw new IllegalArgumentException("handler failed on purpose");
    }

    @OnMessage("exit")
    Object exit(Message message) {
        System.exit(((Number) message.arg("code")).intValue());
        return null;
    }

    @OnMessage("halt")
    Object halt(Message message) {
        Runtime.getRuntime().halt(((Number) message.arg("code")).intValue());
        return null;
    }
}

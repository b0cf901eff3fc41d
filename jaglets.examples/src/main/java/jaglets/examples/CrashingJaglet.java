package jaglets.examples;

import jaglets.api.CreationEvent;
import jaglets.api.Jaglet;
import jaglets.api.Message;
import jaglets.api.OnMessage;
import jaglets.api.PersistencyEvent;

/**
 * An agent that fails in every way a host must survive: a handler that throws, a handler that
 * exits or halts its JVM, a {@code run()} that fails (from the start, or from its next start
 * after {@code fail-next-run}: after a move or an activation), a creation hook that fails, a
 * deactivation hook that never returns at shutdown.
 */
public class CrashingJaglet extends Jaglet<CrashingJaglet.State> {

    /**
     * What to do wrong.
     *
     * @param failRun {@code run()} throws
     * @param failCreation {@code onCreation} throws
     * @param hangOnShutdown {@code onDeactivating} never returns when the host shuts down
     */
    public record State(boolean failRun, boolean failCreation, boolean hangOnShutdown, long count) {
    }

    @Override
    public void onCreation(CreationEvent event) {
        if (state().failCreation()) {
            throw new IllegalStateException("creation refused on purpose");
        }
    }

    @Override
    public void run() {
        if (state().failRun()) {
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
        return updateState(s -> new State(s.failRun(), s.failCreation(), s.hangOnShutdown(), s.count() + 1)).count();
    }

    @OnMessage("fail-next-run")
    boolean failNextRun() {
        return updateState(s -> new State(true, s.failCreation(), s.hangOnShutdown(), s.count())).failRun();
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

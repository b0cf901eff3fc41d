package jaglets.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JagletWaitStateTest {

    /** Long enough that a waiter which was never woken cannot finish within {@link #WOKEN_WITHIN}. */
    private static final Duration WAITER_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WOKEN_WITHIN = Duration.ofSeconds(5);

    record Counter(int count) {
    }

    static class Agent extends Jaglet<Counter> {
    }

    private Thread waiter;

    @AfterEach
    void stopWaiter() throws InterruptedException {
        if (waiter != null) {
            waiter.interrupt();
            waiter.join(WOKEN_WITHIN.toMillis());
        }
    }

    private static Agent agentWith(int count) {
        Agent agent = new Agent();
        agent.attach("agent-1", null, new Counter(count));
        return agent;
    }

    @Test
    void returnsTrueAtOnceWhenTheConditionAlreadyHolds() {
        assertTrue(agentWith(1).waitState(s -> s.count() == 1, Duration.ZERO));
    }

    @Test
    void returnsFalseAfterTheTimeoutWhenTheConditionNeverHolds() {
        Agent agent = agentWith(1);
        long start = System.nanoTime();
        assertFalse(agent.waitState(s -> s.count() == 2, Duration.ofMillis(50)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50), "returned before the timeout");
    }

    @Test
    void setStateFromAnotherThreadWakesTheWaiter() throws Exception {
        assertWokenBy(agent -> agent.setState(new Counter(2)));
    }

    @Test
    void updateStateFromAnotherThreadWakesTheWaiter() throws Exception {
        assertWokenBy(agent -> agent.updateState(s -> new Counter(s.count() + 1)));
    }

    private void assertWokenBy(Consumer<Agent> change) throws Exception {
        Agent agent = agentWith(1);
        CompletableFuture<Boolean> result = startWaiter(agent, s -> s.count() == 2);
        awaitWaiterParked();
        change.accept(agent);
        assertTrue(result.get(WOKEN_WITHIN.toMillis(), TimeUnit.MILLISECONDS), "the waiter saw a stale state");
        assertEquals(new Counter(2), agent.state());
    }

    private CompletableFuture<Boolean> startWaiter(Agent agent, Predicate<Counter> condition) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        waiter = new Thread(() -> result.complete(agent.waitState(condition, WAITER_TIMEOUT)), "test-waiter");
        waiter.start();
        return result;
    }

    /** The waiter is inside waitState, parked on the condition, before the state changes. */
    private void awaitWaiterParked() {
        long deadline = System.nanoTime() + WOKEN_WITHIN.toNanos();
        while (waiter.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > deadline) {
                fail("the waiter never started waiting; it is " + waiter.getState());
            }
            Thread.yield();
        }
    }
}

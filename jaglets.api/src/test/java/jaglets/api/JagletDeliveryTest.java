package jaglets.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JagletDeliveryTest {

    private static final long WAIT_SECONDS = 5;

    record Counter(int count) {
    }

    static class Router extends Jaglet<Counter> {
        @OnMessage("ping")
        String ping() {
            return "pong";
        }

        @OnMessage({"echo", "repeat"})
        Object echo(Message message) {
            return message.kind() + ":" + message.arg();
        }

        @OnMessage("fail")
        Object fail() {
            throw new JagletException(ErrorType.CONFLICT, "not now");
        }

        @OnMessage("checked")
        Object checked() throws IOException {
            throw new IOException("disk gone");
        }
    }

    static class Declining extends Jaglet<Counter> {
        @Override
        public Object handleMessage(Message message) {
            return message.sameKind("mine") ? "taken" : notHandled();
        }
    }

    static class BadSignature extends Jaglet<Counter> {
        @OnMessage("two")
        Object two(Message first, Message second) {
            return null;
        }
    }

    /** A handler that holds the test at a point of its choosing, with or without the state lock. */
    static class Blocking extends Jaglet<Counter> {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @StateLocked
        @OnMessage("locked")
        Object locked() throws InterruptedException {
            return hold();
        }

        @OnMessage("unlocked")
        Object unlocked() throws InterruptedException {
            return hold();
        }

        Object hold() throws InterruptedException {
            entered.countDown();
            assertTrue(release.await(WAIT_SECONDS, TimeUnit.SECONDS), "the test never released the handler");
            return "done";
        }
    }

    static class LockedHandleMessage extends Blocking {
        @StateLocked
        @Override
        public Object handleMessage(Message message) {
            try {
                return hold();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private final ExecutorService handlerThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-handler"));

    @AfterEach
    void stopHandlerThread() {
        handlerThread.shutdownNow();
    }

    private static <A extends Jaglet<Counter>> A attached(A agent) {
        agent.attach("agent-1", null, new Counter(1));
        return agent;
    }

    @Test
    void noArgumentHandlerIsRoutedByKind() {
        assertEquals("pong", attached(new Router()).deliver(Message.of("ping")));
    }

    @Test
    void messageHandlerReceivesTheMessageForEachOfItsKinds() {
        Router agent = attached(new Router());
        assertEquals("echo:1", agent.deliver(Message.of("echo", 1)));
        assertEquals("repeat:2", agent.deliver(Message.of("repeat", 2)));
    }

    @Test
    void unknownKindFailsWithNotHandledNamingTheKind() {
        JagletException error = assertThrows(JagletException.class,
                () -> attached(new Router()).deliver(Message.of("unknown-kind")));
        assertEquals(ErrorType.NOT_HANDLED, error.type());
        assertTrue(error.getMessage().contains("'unknown-kind'"), error.getMessage());
    }

    @Test
    void overriddenHandleMessageCanDeclineWithNotHandled() {
        Declining agent = attached(new Declining());
        assertEquals("taken", agent.deliver(Message.of("mine")));
        assertEquals(ErrorType.NOT_HANDLED,
                assertThrows(JagletException.class, () -> agent.deliver(Message.of("other"))).type());
    }

    @Test
    void handlerErrorsKeepTheirTypeAndCheckedExceptionsBecomeHostErrors() {
        Router agent = attached(new Router());
        assertEquals(ErrorType.CONFLICT,
                assertThrows(JagletException.class, () -> agent.deliver(Message.of("fail"))).type());
        JagletException checked = assertThrows(JagletException.class, () -> agent.deliver(Message.of("checked")));
        assertEquals(ErrorType.HOST, checked.type());
        assertTrue(checked.getCause() instanceof IOException, String.valueOf(checked.getCause()));
    }

    @Test
    void handlerWithTwoParametersIsRefusedAsACodeError() {
        JagletException error = assertThrows(JagletException.class,
                () -> attached(new BadSignature()).deliver(Message.of("two")));
        assertEquals(ErrorType.CODE, error.type());
    }

    @Test
    void stateLockedHandlerHoldsTheStateLockWhileItRuns() throws Exception {
        Blocking agent = attached(new Blocking());
        assertLockHeldDuring(agent, "locked", true);
    }

    @Test
    void handlerWithoutStateLockedLeavesTheStateLockFree() throws Exception {
        Blocking agent = attached(new Blocking());
        assertLockHeldDuring(agent, "unlocked", false);
    }

    @Test
    void stateLockedHandleMessageOverrideHoldsTheStateLock() throws Exception {
        LockedHandleMessage agent = attached(new LockedHandleMessage());
        assertLockHeldDuring(agent, "anything", true);
    }

    private void assertLockHeldDuring(Blocking agent, String kind, boolean expectHeld) throws Exception {
        Future<Object> reply = handlerThread.submit(() -> agent.deliver(Message.of(kind)));
        assertTrue(agent.entered.await(WAIT_SECONDS, TimeUnit.SECONDS), "the handler did not start");
        Counter seen = agent.tryLockedState(state -> state, Duration.ofMillis(50));
        if (expectHeld) {
            assertNull(seen, "the state lock was free while a @StateLocked handler ran");
        } else {
            assertEquals(new Counter(1), seen);
        }
        agent.release.countDown();
        assertEquals("done", reply.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertSame(agent.state(), agent.tryLockedState(state -> state, Duration.ofMillis(50)),
                "the state lock must be free again once the handler returned");
    }
}

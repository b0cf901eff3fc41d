package jaglets.runtime.internal.mailbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.MailboxStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MailboxTest {

    /**
     * Records what the mailbox sends and leaves each item open until the test finishes it. The
     * mailbox calls it on the test's own thread, so the tests need no synchronisation.
     */
    static final class FakeDispatcher implements Mailbox.Dispatcher<String> {
        final List<String> dispatched = new ArrayList<>();
        final Map<String, Mailbox.Completion> open = new LinkedHashMap<>();
        final Set<String> refused = new HashSet<>();

        @Override
        public void dispatch(String item, Mailbox.Completion done) {
            dispatched.add(item);
            if (refused.contains(item)) {
                throw new IllegalStateException("cannot send " + item);
            }
            open.put(item, done);
        }

        void finish(String item, boolean delivered) {
            Mailbox.Completion done = open.remove(item);
            assertNotNull(done, item + " is not in flight; in flight: " + open.keySet());
            done.finished(delivered);
        }

        void finish(String item) {
            finish(item, true);
        }
    }

    private final FakeDispatcher dispatcher = new FakeDispatcher();
    private final Mailbox<String> mailbox = new Mailbox<>(dispatcher);

    private void submitAll(int priority, String... items) {
        for (String item : items) {
            mailbox.submit(item, priority);
        }
    }

    /** Finishes whatever is in flight until nothing is, and returns the order things went out. */
    private List<String> finishAllInOrder() {
        while (!dispatcher.open.isEmpty()) {
            dispatcher.finish(dispatcher.open.keySet().iterator().next());
        }
        return dispatcher.dispatched;
    }

    @Test
    void onlyOneQueuedItemIsInFlightAtATime() {
        submitAll(5, "a", "b", "c");

        assertEquals(List.of("a"), dispatcher.dispatched);
        assertEquals(new MailboxStatus(2, 1, 0, 0), mailbox.status());

        dispatcher.finish("a");
        assertEquals(List.of("a", "b"), dispatcher.dispatched);
        assertEquals(new MailboxStatus(1, 1, 1, 0), mailbox.status());

        dispatcher.finish("b");
        dispatcher.finish("c");
        assertEquals(List.of("a", "b", "c"), dispatcher.dispatched);
        assertEquals(new MailboxStatus(0, 0, 3, 0), mailbox.status());
    }

    @Test
    void higherPriorityIsDispatchedFirst() {
        mailbox.submit("busy", 5);
        mailbox.submit("low", 1);
        mailbox.submit("high", 9);
        mailbox.submit("normal", 5);
        mailbox.submit("max", 10);

        assertEquals(List.of("busy", "max", "high", "normal", "low"), finishAllInOrder());
    }

    @Test
    void equalPrioritiesAreDispatchedInArrivalOrder() {
        mailbox.submit("busy", 5);
        submitAll(3, "x1", "x2");
        submitAll(7, "y1", "y2");
        submitAll(3, "x3", "x4");
        submitAll(7, "y3");

        assertEquals(List.of("busy", "y1", "y2", "y3", "x1", "x2", "x3", "x4"), finishAllInOrder());
    }

    @Test
    void unqueuedItemIsDispatchedAtOnceEvenWhileAnotherIsInFlight() {
        submitAll(5, "a", "b");
        mailbox.submit("urgent", 0);

        assertEquals(List.of("a", "urgent"), dispatcher.dispatched);
        assertEquals(new MailboxStatus(1, 2, 0, 0), mailbox.status());

        dispatcher.finish("urgent");
        assertEquals(List.of("a", "urgent"), dispatcher.dispatched, "an unqueued item does not release the queue");

        dispatcher.finish("a");
        assertEquals(List.of("a", "urgent", "b"), dispatcher.dispatched);
    }

    @Test
    void unqueuedItemDoesNotMakeTheMailboxBusy() {
        mailbox.submit("urgent", 0);
        mailbox.submit("a", 5);

        assertEquals(List.of("urgent", "a"), dispatcher.dispatched);
    }

    @Test
    void replayedItemsGoBeforeEverythingElse() {
        mailbox.submit("busy", 5);
        mailbox.submit("max", 10);
        mailbox.submit("replay-1", Mailbox.REPLAY_PRIORITY);
        mailbox.submit("normal", 5);
        mailbox.submit("replay-2", Mailbox.REPLAY_PRIORITY);

        assertEquals(List.of("busy", "replay-1", "replay-2", "max", "normal"), finishAllInOrder());
    }

    @Test
    void pauseWhileIdleIsDoneAtOnceAndHoldsNewItems() {
        CompletableFuture<Void> idle = mailbox.pause();
        assertTrue(idle.isDone());

        submitAll(5, "a", "b");
        assertEquals(List.of(), dispatcher.dispatched);
        assertEquals(new MailboxStatus(2, 0, 0, 0), mailbox.status());

        mailbox.resume();
        assertEquals(List.of("a"), dispatcher.dispatched);
        assertEquals(List.of("a", "b"), finishAllInOrder());
    }

    @Test
    void pauseCompletesWhenTheItemInFlightFinishes() {
        submitAll(5, "a", "b");

        CompletableFuture<Void> idle = mailbox.pause();
        assertFalse(idle.isDone(), "a is still in flight");
        assertSame(idle, mailbox.pause(), "pausing twice waits for the same moment");

        dispatcher.finish("a");
        assertTrue(idle.isDone());
        assertEquals(List.of("a"), dispatcher.dispatched, "b must wait for resume()");
        assertEquals(new MailboxStatus(1, 0, 1, 0), mailbox.status());

        mailbox.resume();
        assertEquals(List.of("a", "b"), dispatcher.dispatched);
    }

    @Test
    void pauseCompletesAlsoWhenTheItemInFlightFails() {
        submitAll(5, "a");
        CompletableFuture<Void> idle = mailbox.pause();

        dispatcher.finish("a", false);

        assertTrue(idle.isDone());
        assertEquals(new MailboxStatus(0, 0, 0, 1), mailbox.status());
    }

    @Test
    void resumeBeforeTheItemInFlightFinishesKeepsOneAtATime() {
        submitAll(5, "a", "b");
        mailbox.pause();
        mailbox.resume();

        assertEquals(List.of("a"), dispatcher.dispatched);
        dispatcher.finish("a");
        assertEquals(List.of("a", "b"), dispatcher.dispatched);
    }

    @Test
    void unqueuedItemWaitsWhilePausedAndGoesFirstOnResume() {
        mailbox.pause();
        mailbox.submit("queued", 9);
        mailbox.submit("urgent", 0);

        assertEquals(List.of(), dispatcher.dispatched,
                "a paused mailbox (agent starting or stopping) must not send anything to the agent");
        assertEquals(new MailboxStatus(2, 0, 0, 0), mailbox.status(), "both wait");

        mailbox.resume();
        assertEquals(List.of("urgent", "queued"), dispatcher.dispatched);
        assertEquals(new MailboxStatus(0, 2, 0, 0), mailbox.status());
    }

    @Test
    void resumeSendsHeldUnqueuedItemsEvenWhileAQueuedItemIsInFlight() {
        submitAll(5, "a", "b");
        mailbox.pause();
        submitAll(0, "u1", "u2");
        assertEquals(List.of("a"), dispatcher.dispatched);

        mailbox.resume();

        assertEquals(List.of("a", "u1", "u2"), dispatcher.dispatched);
        dispatcher.finish("a");
        assertEquals(List.of("a", "u1", "u2", "b"), dispatcher.dispatched);
    }

    @Test
    void drainReturnsQueuedItemsInDispatchOrderAndLeavesTheMailboxUsable() {
        mailbox.submit("busy", 5);
        mailbox.submit("low", 1);
        mailbox.submit("high", 9);
        mailbox.submit("replay", Mailbox.REPLAY_PRIORITY);
        mailbox.submit("low-2", 1);

        assertEquals(List.of("replay", "high", "low", "low-2"), mailbox.drain());
        assertEquals(new MailboxStatus(0, 1, 0, 0), mailbox.status());

        mailbox.submit("later", 5);
        dispatcher.finish("busy");
        assertEquals(List.of("busy", "later"), dispatcher.dispatched);
    }

    @Test
    void closeReturnsQueuedItemsAndRefusesNewOnes() {
        mailbox.submit("busy", 5);
        mailbox.submit("b", 3);
        mailbox.submit("a", 8);

        assertEquals(List.of("a", "b"), mailbox.close());

        JagletException refused = assertThrows(JagletException.class, () -> mailbox.submit("late", 5));
        assertEquals(ErrorType.AGENT_INACTIVE, refused.type());

        dispatcher.finish("busy");
        assertEquals(List.of("busy"), dispatcher.dispatched, "nothing goes out after close");
        assertEquals(new MailboxStatus(0, 0, 1, 0), mailbox.status());
    }

    @Test
    void closeWhilePausedReturnsHeldUnqueuedItemsFirst() {
        mailbox.pause();
        mailbox.submit("queued", 9);
        mailbox.submit("urgent", 0);

        assertEquals(List.of("urgent", "queued"), mailbox.close());
        mailbox.resume();
        assertEquals(List.of(), dispatcher.dispatched);
    }

    @Test
    void countersTellDeliveredFromFailed() {
        submitAll(5, "a", "b", "c");
        mailbox.submit("u", 0);

        dispatcher.finish("a", true);
        dispatcher.finish("u", false);
        dispatcher.finish("b", false);

        assertEquals(new MailboxStatus(0, 1, 1, 2), mailbox.status());
        dispatcher.finish("c", true);
        assertEquals(new MailboxStatus(0, 0, 2, 2), mailbox.status());
    }

    @Test
    void dispatcherThatThrowsOnSubmitCountsAsFailedAndLeavesTheMailboxFree() {
        dispatcher.refused.add("bad");

        IllegalStateException error = assertThrows(IllegalStateException.class, () -> mailbox.submit("bad", 5));
        assertEquals("cannot send bad", error.getMessage());
        assertEquals(new MailboxStatus(0, 0, 0, 1), mailbox.status());

        mailbox.submit("good", 5);
        assertEquals(List.of("bad", "good"), dispatcher.dispatched);
    }

    @Test
    void dispatcherThatThrowsForAQueuedItemDoesNotWedgeTheQueue() {
        dispatcher.refused.add("bad");
        submitAll(5, "first", "bad", "after");

        // the failure surfaces on the thread whose completion triggered the dispatch
        assertThrows(IllegalStateException.class, () -> dispatcher.finish("first"));

        assertEquals(List.of("first", "bad", "after"), dispatcher.dispatched);
        assertEquals(new MailboxStatus(0, 1, 1, 1), mailbox.status());
        dispatcher.finish("after");
        assertEquals(new MailboxStatus(0, 0, 2, 1), mailbox.status());
        assertTrue(mailbox.pause().isDone(), "nothing is left in flight");
    }

    @Test
    void dispatcherThatThrowsForAnUnqueuedItemCountsAsFailed() {
        dispatcher.refused.add("bad");
        mailbox.submit("busy", 5);

        assertThrows(IllegalStateException.class, () -> mailbox.submit("bad", 0));

        assertEquals(new MailboxStatus(0, 1, 0, 1), mailbox.status());
        mailbox.submit("next", 5);
        dispatcher.finish("busy");
        assertEquals(List.of("busy", "bad", "next"), dispatcher.dispatched);
    }

    @Test
    void longQueueFinishedInsideDispatchDoesNotGrowTheStack() {
        // a dispatcher that fails at once (the agent's channel is already closed) finishes each
        // item before dispatch returns; draining a long queue must not recurse once per item
        int items = 50_000;
        List<String> seen = new ArrayList<>();
        Mailbox<String> inline = new Mailbox<>((item, done) -> {
            seen.add(item);
            done.finished(false);
        });
        inline.pause();
        for (int i = 0; i < items; i++) {
            inline.submit("m" + i, 5);
        }

        inline.resume();

        assertEquals(items, seen.size());
        assertEquals("m0", seen.get(0));
        assertEquals("m" + (items - 1), seen.get(items - 1));
        assertEquals(new MailboxStatus(0, 0, 0, items), inline.status());
    }
}

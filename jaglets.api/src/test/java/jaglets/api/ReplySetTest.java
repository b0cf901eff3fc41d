package jaglets.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ReplySetTest {

    private static final Duration NOW = Duration.ZERO;
    private static final Duration SHORT = Duration.ofMillis(20);

    private final List<CompletableFuture<Object>> futures = new ArrayList<>();
    private final ReplySet set = new ReplySet();

    private FutureReply[] addReplies(int count) {
        FutureReply[] replies = new FutureReply[count];
        for (int i = 0; i < count; i++) {
            CompletableFuture<Object> future = new CompletableFuture<>();
            futures.add(future);
            replies[i] = new FutureReply(future);
            set.addFutureReply(replies[i]);
        }
        return replies;
    }

    @Test
    void nextReplyComesInCompletionOrderNotInAdditionOrder() {
        FutureReply[] replies = addReplies(3);

        futures.get(2).complete("third");
        futures.get(0).completeExceptionally(new JagletException(ErrorType.NOT_HANDLED, "no"));
        futures.get(1).complete("second");

        assertSame(replies[2], set.getNextFutureReply(NOW));
        assertSame(replies[0], set.getNextFutureReply(NOW));
        assertSame(replies[1], set.getNextFutureReply(NOW));
        assertFalse(set.hasMoreFutureReplies());
        assertNull(set.getNextFutureReply(NOW));
    }

    @Test
    void nextReplyIsNullWhenNoneCompletesInTime() {
        addReplies(1);
        assertNull(set.getNextFutureReply(SHORT));
        assertTrue(set.hasMoreFutureReplies());
    }

    @Test
    void waitingForTheNextReplyDoesNotTakeIt() {
        FutureReply[] replies = addReplies(2);
        futures.get(1).complete("b");
        futures.get(0).complete("a");

        assertTrue(set.waitForNextFutureReply(NOW));
        assertSame(replies[1], set.getNextFutureReply(NOW), "the peeked reply must stay first");
        assertSame(replies[0], set.getNextFutureReply(NOW));
    }

    @Test
    void countsFollowCompletions() {
        addReplies(3);
        assertFalse(set.isAnyAvailable());
        assertEquals(3, set.countUnavailable());

        futures.get(1).complete(1);

        assertTrue(set.isAnyAvailable());
        assertEquals(1, set.countAvailable());
        assertEquals(2, set.countUnavailable());
        assertFalse(set.areAllAvailable());
        assertFalse(set.waitForAllReplies(SHORT));

        futures.get(0).complete(0);
        futures.get(2).completeExceptionally(new IllegalStateException("boom"));

        assertTrue(set.waitForAllReplies(NOW), "a failed reply still counts as available");
        assertEquals(3, set.size());
    }

    @Test
    void futureReplyRethrowsTheHandlerErrorAndTimesOutWithTimeout() {
        FutureReply[] replies = addReplies(2);
        futures.get(0).completeExceptionally(new JagletException(ErrorType.NOT_HANDLED, "no handler"));

        assertEquals(ErrorType.NOT_HANDLED,
                assertThrows(JagletException.class, () -> replies[0].getReply(NOW)).type());
        assertEquals(ErrorType.TIMEOUT, assertThrows(JagletException.class, () -> replies[1].getReply(SHORT)).type());
        assertFalse(replies[1].waitForReply(NOW));
    }
}

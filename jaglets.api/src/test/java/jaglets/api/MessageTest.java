package jaglets.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageTest {

    @ParameterizedTest
    @ValueSource(ints = {-1, 11, Integer.MAX_VALUE})
    void priorityOutsideZeroToTenIsABadRequest(int priority) {
        JagletException error = assertThrows(JagletException.class,
                () -> new Message("kind", Map.of(), null, null, priority, 0, null));
        assertEquals(ErrorType.BAD_REQUEST, error.type());
        assertTrue(error.getMessage().contains(String.valueOf(priority)), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5, 10})
    void priorityInsideZeroToTenIsAccepted(int priority) {
        assertEquals(priority, Message.of("kind").withPriority(priority).priority());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void blankKindIsABadRequest(String kind) {
        assertEquals(ErrorType.BAD_REQUEST, assertThrows(JagletException.class, () -> Message.of(kind)).type());
    }

    @Test
    void missingKindIsABadRequest() {
        assertEquals(ErrorType.BAD_REQUEST,
                assertThrows(JagletException.class, () -> new Message(null, null, null, null, 5, 0, null)).type());
    }

    @Test
    void newMessageGetsAnIdATimestampAndNormalPriority() {
        long before = System.currentTimeMillis();
        Message message = Message.of("ping");
        assertEquals(Message.NORMAL_PRIORITY, message.priority());
        assertFalse(message.messageId().isBlank());
        assertNotEquals(message.messageId(), Message.of("ping").messageId());
        assertTrue(message.timestamp() >= before && message.timestamp() <= System.currentTimeMillis());
        assertEquals(Map.of(), message.args());
    }

    @Test
    void givenIdAndTimestampAreKept() {
        Message message = new Message("ping", null, null, "host-a", 3, 1234L, "id-1");
        assertEquals("id-1", message.messageId());
        assertEquals(1234L, message.timestamp());
        assertEquals("host-a", message.sender());
    }

    @Test
    void argsAreACopyThatCannotBeChanged() {
        Map<String, Object> args = new HashMap<>();
        args.put("a", 1);
        Message message = Message.of("kind").withArgs(args);
        args.put("b", 2);
        assertEquals(Map.of("a", 1), message.args());
        assertThrows(UnsupportedOperationException.class, () -> message.args().put("c", 3));
    }

    @Test
    void withArgAddsOneNamedArgumentAndKeepsTheRest() {
        Message original = Message.of("kind", "main").withArg("a", 1);
        Message changed = original.withArg("b", 2);
        assertEquals(Map.of("a", 1, "b", 2), changed.args());
        assertEquals("main", changed.arg());
        assertEquals(original.messageId(), changed.messageId());
        assertEquals(Map.of("a", 1), original.args());
    }

    @Test
    void getArgWithoutANameIsTheSingleArg() {
        Message message = Message.of("kind", "main").withArg("a", 1);
        assertEquals("main", message.getArg(null));
        assertEquals(1, message.getArg("a"));
        assertEquals(1, message.arg("a"));
        assertNull(message.getArg("missing"));
        assertTrue(message.sameKind("kind"));
        assertFalse(message.sameKind("other"));
    }

    @Test
    void priorityStepsStayInsideTheQueuedRange() {
        Message normal = Message.of("kind");
        assertEquals(6, normal.increasePriority().priority());
        assertEquals(4, normal.decreasePriority().priority());
        assertEquals(Message.MAX_PRIORITY, normal.withPriority(10).increasePriority().priority());
        assertEquals(Message.MIN_PRIORITY, normal.withPriority(1).decreasePriority().priority());
    }

    @Test
    void unqueuedPriorityIsNeverStepped() {
        Message unqueued = Message.of("kind").withPriority(Message.UNQUEUED_PRIORITY);
        assertTrue(unqueued.isUnqueued());
        assertEquals(Message.UNQUEUED_PRIORITY, unqueued.increasePriority().priority());
        assertEquals(Message.UNQUEUED_PRIORITY, unqueued.decreasePriority().priority());
        assertFalse(Message.of("kind").isUnqueued());
    }
}

package jaglets.runtime.internal.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jaglets.runtime.HostEvent;
import jaglets.runtime.HostEventListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventLogTest {

    private final EventLog log = new EventLog("alpha", "alpha:7000", 4);

    private HostEvent emit(String kind) {
        return log.emit(kind, "agent-1", "com.example.Agent", null, Map.of("k", kind), null);
    }

    private static List<Long> ids(List<HostEvent> events) {
        return events.stream().map(HostEvent::eventId).toList();
    }

    private static List<String> kinds(List<HostEvent> events) {
        return events.stream().map(HostEvent::kind).toList();
    }

    /** Remembers every event it is told of. */
    static final class Recorder implements HostEventListener {
        final List<HostEvent> seen = new ArrayList<>();

        @Override
        public void onEvent(HostEvent event) {
            seen.add(event);
        }
    }

    @Test
    void eventIdsGrowByOneFromOne() {
        assertEquals(1, emit("create").eventId());
        assertEquals(2, emit("message-delivered").eventId());
        assertEquals(3, emit("deactivate").eventId());
    }

    @Test
    void emittedEventCarriesHostAndAgentDetails() {
        HostEvent event = log.emit("message-failed", "agent-1", "com.example.Agent", "m-1", null, "boom");
        assertEquals("alpha", event.hostName());
        assertEquals("alpha:7000", event.hostAddress());
        assertEquals("agent-1", event.agentId());
        assertEquals("com.example.Agent", event.className());
        assertEquals("m-1", event.messageId());
        assertEquals(Map.of(), event.data());
        assertEquals("boom", event.error());
    }

    @Test
    void sinceReturnsLaterEventsOldestFirstUpToTheLimit() {
        emit("a");
        emit("b");
        emit("c");

        assertEquals(List.of("a", "b", "c"), kinds(log.since(0, 10)));
        assertEquals(List.of("b", "c"), kinds(log.since(1, 10)));
        assertEquals(List.of("a", "b"), kinds(log.since(0, 2)));
        assertEquals(List.of(), log.since(3, 10));
        assertEquals(List.of(), log.since(0, 0));
    }

    @Test
    void fullRingDropsTheOldestEvents() {
        for (String kind : List.of("e1", "e2", "e3", "e4", "e5", "e6")) {
            emit(kind);
        }

        assertEquals(List.of(3L, 4L, 5L, 6L), ids(log.since(0, 100)));
        assertEquals(List.of("e3", "e4", "e5", "e6"), kinds(log.since(0, 100)));
        assertEquals(List.of(5L, 6L), ids(log.since(4, 100)));
    }

    @Test
    void listenersAreToldOfEveryEventInOrder() {
        Recorder recorder = new Recorder();
        log.addListener(recorder);
        emit("a");
        emit("b");
        log.removeListener(recorder);
        emit("c");

        assertEquals(List.of(1L, 2L), ids(recorder.seen));
    }

    @Test
    void throwingListenerDoesNotBreakEmitNorTheOtherListeners() {
        Recorder before = new Recorder();
        Recorder after = new Recorder();
        log.addListener(before);
        log.addListener(event -> {
            throw new IllegalStateException("listener broke on " + event.kind());
        });
        log.addListener(after);

        HostEvent emitted = emit("create");

        assertEquals(1, emitted.eventId());
        assertEquals(List.of("create", "event-listener-failed"), kinds(before.seen));
        assertEquals(List.of("create", "event-listener-failed"), kinds(after.seen),
                "every listener must see the events in id order");
        assertEquals(List.of(1L, 2L), ids(after.seen));
    }

    @Test
    void listenerFailureIsLoggedAsAnEventNamingTheFailedEvent() {
        log.addListener(event -> {
            throw new IllegalStateException("listener broke");
        });

        emit("create");

        List<HostEvent> logged = log.since(0, 10);
        assertEquals(List.of("create", "event-listener-failed"), kinds(logged));
        HostEvent failure = logged.get(1);
        assertEquals(2, failure.eventId());
        assertEquals("agent-1", failure.agentId());
        assertNull(failure.messageId());
        assertEquals(Map.of("event_id", 1L, "event_kind", "create"), failure.data());
        assertTrue(failure.error().contains("listener broke"), failure.error());
    }

    @Test
    void failingListenerIsNotToldOfItsOwnFailureAndFailuresDoNotCascade() {
        List<String> seenByFailing = new ArrayList<>();
        log.addListener(event -> {
            seenByFailing.add(event.kind());
            throw new IllegalStateException("always");
        });
        log.addListener(event -> {
            throw new IllegalStateException("also always");
        });

        emit("create");

        assertEquals(List.of("create", "event-listener-failed"), seenByFailing,
                "told of the other listener's failure, not of its own");
        assertEquals(List.of("create", "event-listener-failed", "event-listener-failed"), kinds(log.since(0, 10)));
    }
}

package jaglets.runtime.internal.events;

import jaglets.runtime.HostEvent;
import jaglets.runtime.HostEventListener;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A bounded ring of the host's recent events plus listeners. A failing listener produces an
 * {@code event-listener-failed} event, delivered to the other listeners.
 */
public final class EventLog {
    private final String hostName;
    private final String hostAddress;
    private final HostEvent[] ring;
    private final List<HostEventListener> listeners = new CopyOnWriteArrayList<>();
    private long lastId;

    public EventLog(String hostName, String hostAddress, int capacity) {
        this.hostName = hostName;
        this.hostAddress = hostAddress;
        this.ring = new HostEvent[capacity];
    }

    public HostEvent emit(String kind, String agentId, String className, String messageId,
                          Map<String, Object> data, String error) {
        HostEvent event;
        synchronized (this) {
            lastId++;
            event = new HostEvent(lastId, kind, hostName, hostAddress, Instant.now(), agentId, className, messageId,
                    data == null ? Map.of() : data, error);
            ring[(int) ((lastId - 1) % ring.length)] = event;
        }
        notifyListeners(event, null);
        return event;
    }

    private void notifyListeners(HostEvent event, HostEventListener skip) {
        List<Map.Entry<HostEventListener, RuntimeException>> failures = new ArrayList<>();
        for (HostEventListener listener : listeners) {
            if (listener == skip) {
                continue;
            }
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                if (!event.kind().equals("event-listener-failed")) {
                    failures.add(Map.entry(listener, e));
                }
            }
        }
        // reported once every listener has seen this event, so each sees the events in id order
        for (Map.Entry<HostEventListener, RuntimeException> failure : failures) {
            HostEvent failed;
            synchronized (this) {
                lastId++;
                failed = new HostEvent(lastId, "event-listener-failed", hostName, hostAddress, Instant.now(),
                        event.agentId(), event.className(), null,
                        Map.of("event_id", event.eventId(), "event_kind", event.kind()), failure.getValue().toString());
                ring[(int) ((lastId - 1) % ring.length)] = failed;
            }
            notifyListeners(failed, failure.getKey());
        }
    }

    /** Events with an id above {@code since}, oldest first, at most {@code limit}. */
    public synchronized List<HostEvent> since(long since, int limit) {
        List<HostEvent> result = new ArrayList<>();
        long first = Math.max(since + 1, Math.max(1, lastId - ring.length + 1));
        for (long id = first; id <= lastId && result.size() < limit; id++) {
            result.add(ring[(int) ((id - 1) % ring.length)]);
        }
        return result;
    }

    public void addListener(HostEventListener listener) {
        listeners.add(listener);
    }

    public void removeListener(HostEventListener listener) {
        listeners.remove(listener);
    }
}

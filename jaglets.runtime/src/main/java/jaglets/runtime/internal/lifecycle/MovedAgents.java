package jaglets.runtime.internal.lifecycle;

import jaglets.api.JagletProxyRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where agents that left this host went, so that a caller who still aims here learns the new
 * place (and proxies follow) instead of a bare "unknown agent". Bounded in size and age: a
 * forwarding address is a courtesy, not a record.
 */
final class MovedAgents {
    static final int CAPACITY = 10_000;
    static final Duration KEEP = Duration.ofMinutes(10);

    private record Entry(JagletProxyRef location, Instant at) {
    }

    private final Clock clock;
    private final Map<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > CAPACITY;
        }
    };

    MovedAgents(Clock clock) {
        this.clock = clock;
    }

    synchronized void moved(String agentId, JagletProxyRef location) {
        entries.remove(agentId);
        entries.put(agentId, new Entry(location, clock.instant()));
    }

    /** The agent is here again. */
    synchronized void arrived(String agentId) {
        entries.remove(agentId);
    }

    synchronized JagletProxyRef where(String agentId) {
        Entry entry = entries.get(agentId);
        if (entry == null) {
            return null;
        }
        if (entry.at().plus(KEEP).isBefore(clock.instant())) {
            entries.remove(agentId);
            return null;
        }
        return entry.location();
    }
}

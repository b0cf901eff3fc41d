package jaglets.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Things an agent holds that must be released before it leaves its JVM (dispatch, deactivate,
 * dispose): cleanups run in reverse registration order. A failing cleanup that is not
 * suppressed stays registered and cancels the operation with
 * {@link ErrorType#RESOURCE_CLEANUP}; suppressed failures are dropped.
 */
public final class ResourceRegistry {

    /** A cleanup action that may throw. */
    @FunctionalInterface
    public interface Cleanup {
        void run() throws Exception;
    }

    private record Entry(Cleanup cleanup, boolean suppress) {
    }

    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    public synchronized void register(String name, Cleanup cleanup) {
        register(name, cleanup, false);
    }

    /** Registers (or replaces) a named cleanup; {@code suppress} ignores its failure. */
    public synchronized void register(String name, Cleanup cleanup, boolean suppress) {
        entries.remove(name);
        entries.put(name, new Entry(cleanup, suppress));
    }

    /** Registers {@code closeable.close()} as the cleanup of {@code name}. */
    public void trackCloseable(String name, AutoCloseable closeable) {
        register(name, closeable::close, false);
    }

    public synchronized boolean remove(String name) {
        return entries.remove(name) != null;
    }

    public synchronized void clear() {
        entries.clear();
    }

    /** Name of each registered resource and whether its failure is suppressed. */
    public synchronized Map<String, Boolean> status() {
        Map<String, Boolean> status = new LinkedHashMap<>();
        entries.forEach((name, entry) -> status.put(name, entry.suppress()));
        return status;
    }

    /**
     * Runs every cleanup, newest first. Successes and suppressed failures are removed; if any
     * other cleanup fails, those stay and a {@link ErrorType#RESOURCE_CLEANUP} error names them.
     */
    public void cleanup(String reason) {
        List<Map.Entry<String, Entry>> snapshot;
        synchronized (this) {
            snapshot = new ArrayList<>(entries.entrySet());
        }
        Map<String, String> failures = new LinkedHashMap<>();
        for (int i = snapshot.size() - 1; i >= 0; i--) {
            Map.Entry<String, Entry> e = snapshot.get(i);
            try {
                e.getValue().cleanup().run();
                remove(e.getKey());
            } catch (Exception ex) {
                if (e.getValue().suppress()) {
                    remove(e.getKey());
                } else {
                    failures.put(e.getKey(), ex.toString());
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new JagletException(ErrorType.RESOURCE_CLEANUP,
                    "cleanup before " + reason + " failed for " + failures + "; the operation was cancelled");
        }
    }
}

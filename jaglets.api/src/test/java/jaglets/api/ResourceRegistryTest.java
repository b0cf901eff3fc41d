package jaglets.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceRegistryTest {

    private final ResourceRegistry registry = new ResourceRegistry();
    private final List<String> ran = new ArrayList<>();

    private ResourceRegistry.Cleanup recording(String name) {
        return () -> ran.add(name);
    }

    private ResourceRegistry.Cleanup failing(String name) {
        return () -> {
            ran.add(name);
            throw new IllegalStateException(name + " is stuck");
        };
    }

    @Test
    void cleanupRunsNewestFirstAndEmptiesTheRegistry() {
        registry.register("socket", recording("socket"));
        registry.register("file", recording("file"));
        registry.trackCloseable("timer", () -> ran.add("timer"));

        registry.cleanup("deactivate");

        assertEquals(List.of("timer", "file", "socket"), ran);
        assertEquals(Map.of(), registry.status());
    }

    @Test
    void reRegisteringANameReplacesItsCleanupAndMovesItToTheEnd() {
        registry.register("a", recording("a-old"));
        registry.register("b", recording("b"));
        registry.register("a", recording("a-new"));

        registry.cleanup("dispose");

        assertEquals(List.of("a-new", "b"), ran);
    }

    @Test
    void suppressedFailureIsDroppedAndDoesNotCancelTheOperation() {
        registry.register("flaky", failing("flaky"), true);
        registry.register("ok", recording("ok"));

        assertDoesNotThrow(() -> registry.cleanup("dispatch"));

        assertEquals(List.of("ok", "flaky"), ran);
        assertEquals(Map.of(), registry.status());
    }

    @Test
    void unsuppressedFailuresStayRegisteredAndAreNamedInAResourceCleanupError() {
        registry.register("db", failing("db"));
        registry.register("cache", recording("cache"));
        registry.register("lock", failing("lock"));
        registry.register("noise", failing("noise"), true);

        JagletException error = assertThrows(JagletException.class, () -> registry.cleanup("deactivate"));

        assertEquals(ErrorType.RESOURCE_CLEANUP, error.type());
        assertTrue(error.getMessage().contains("deactivate"), error.getMessage());
        assertTrue(error.getMessage().contains("db"), error.getMessage());
        assertTrue(error.getMessage().contains("lock is stuck"), error.getMessage());
        assertFalse(error.getMessage().contains("noise"), error.getMessage());
        assertEquals(List.of("noise", "lock", "cache", "db"), ran, "every cleanup runs even after a failure");
        assertEquals(Map.of("db", false, "lock", false), registry.status());
    }

    @Test
    void statusTellsWhichFailuresAreSuppressed() {
        registry.register("a", recording("a"));
        registry.register("b", recording("b"), true);

        assertEquals(List.of("a", "b"), new ArrayList<>(registry.status().keySet()));
        assertEquals(Map.of("a", false, "b", true), registry.status());
        assertTrue(registry.remove("a"));
        assertFalse(registry.remove("a"));
        registry.clear();
        assertEquals(Map.of(), registry.status());
    }
}

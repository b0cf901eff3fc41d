package jaglets.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
    private static final Path TARGET = Path.of("/p/bench/target");

    @Test
    void everyFigureButTheManyAgentOnesRunsByDefaultWithTheBenchFolderForResults() {
        BenchOptions options = BenchOptions.parse(new String[0], TARGET);
        assertEquals(List.of("create", "lifecycle", "roundtrip", "memory", "inactive", "http", "mesh"),
                List.copyOf(options.figures()));
        assertEquals(200, options.meshHosts());
        assertEquals(Path.of("/p/bench/results"), options.results());
        assertEquals(Path.of("/p/bench/target/bench.jar"), options.benchJar());
        assertEquals(500, options.manyAgents());
        assertEquals(100_000, options.inactiveRecords());
    }

    @Test
    void allAddsManyAndSkipStillApplies() {
        assertEquals(BenchOptions.FIGURES, List.copyOf(BenchOptions.parse(new String[] {"--all"}, TARGET).figures()));
        assertEquals(List.of("create", "lifecycle", "roundtrip", "memory", "http", "mesh", "http-many", "move",
                "many"),
                List.copyOf(BenchOptions.parse(new String[] {"--all", "--skip", "inactive"}, TARGET).figures()));
    }

    @Test
    void onlyAndSkipSelectFiguresInRunOrder() {
        BenchOptions options = BenchOptions.parse(new String[] {"--only", "many,create,inactive", "--skip", "many"},
                TARGET);
        assertEquals(List.of("create", "inactive"), List.copyOf(options.figures()));
    }

    @Test
    void httpFiguresAreTheirOwnGroup() {
        BenchOptions http = BenchOptions.parse(new String[] {"--only", "http"}, TARGET);
        assertTrue(http.runsHttp());
        assertFalse(http.runsHostFigures());
        BenchOptions runtime = BenchOptions.parse(new String[] {"--skip", "http"}, TARGET);
        assertFalse(runtime.runsHttp());
        assertTrue(runtime.runsHostFigures());
        assertTrue(BenchOptions.parse(new String[] {"--only", "http-many"}, TARGET).runsHttp());
    }

    @Test
    void moveIsItsOwnGroupOutsideTheDefaultRun() {
        assertFalse(BenchOptions.parse(new String[0], TARGET).runsMove());
        assertTrue(BenchOptions.parse(new String[] {"--all"}, TARGET).runsMove());
        BenchOptions move = BenchOptions.parse(new String[] {"--only", "move"}, TARGET);
        assertTrue(move.runsMove());
        assertFalse(move.runsHostFigures());
        assertFalse(move.runsHttp());
        assertFalse(BenchOptions.parse(new String[] {"--all", "--skip", "move"}, TARGET).runsMove());
    }

    @Test
    void meshFiguresAreTheirOwnGroup() {
        BenchOptions mesh = BenchOptions.parse(new String[] {"--only", "mesh", "--mesh-hosts", "50"}, TARGET);
        assertTrue(mesh.runs("mesh"));
        assertFalse(mesh.runsHostFigures());
        assertFalse(mesh.runsHttp());
        assertEquals(50, mesh.meshHosts());
    }

    @Test
    void quickShrinksEveryCount() {
        BenchOptions options = BenchOptions.parse(new String[] {"--quick"}, TARGET);
        assertEquals(5, options.iterations());
        assertEquals(20, options.manyAgents());
        assertEquals(2_000, options.inactiveRecords());
        assertEquals(1_000, options.httpCalls());
        assertEquals(2, options.httpSeconds());
    }

    @Test
    void badOptionsAreRefusedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--only", "speed"}, TARGET));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--many", "0"}, TARGET));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--many-heap", "lots"},
                TARGET));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--calls"}, TARGET));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--http-seconds", "-1"},
                TARGET));
    }
}

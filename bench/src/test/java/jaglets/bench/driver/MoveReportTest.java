package jaglets.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MoveReportTest {

    private static Map<String, Object> latency(double p50, double p99) {
        return Map.of("n", 30, "p50_ms", p50, "p99_ms", p99);
    }

    private static TargetRow row(List<TargetRow> rows, String figure) {
        return rows.stream().filter(r -> r.figure().equals(figure)).findFirst().orElseThrow();
    }

    @Test
    void smallStateMovesAreJudgedOnTheirP50BesidePaglets() {
        Map<String, Object> figures = new HashMap<>();
        figures.put("dispatch_1kib", latency(12.5, 30));
        figures.put("clone_1kib", latency(18, 25));
        figures.put("round_trip_1kib", latency(26, 40));
        List<TargetRow> rows = new MoveReport(figures).rows();
        TargetRow dispatch = row(rows, "dispatch one way, 1 KiB state");
        assertEquals("met", dispatch.verdict());
        assertEquals("106 ms", dispatch.paglets());
        assertEquals("p50 12.5 ms, p99 30.0 ms (n=30)", dispatch.measured());
        assertEquals("MISSED", row(rows, "clone A->B, 1 KiB state").verdict());
        TargetRow roundTrip = row(rows, "dispatch A->B->A, 1 KiB state");
        assertEquals("reported", roundTrip.verdict());
        assertEquals("212 ms", roundTrip.paglets());
        assertNull(roundTrip.toJson().get("met"));
        assertEquals("not measured", row(rows, "dispatch one way, 1 MiB state").verdict());
        assertEquals("not measured", row(rows, "dispatch one way, 16 MiB state").verdict());
    }

    @Test
    void aFailedFigureIsShownAsFailedAndMissesItsTarget() {
        Map<String, Object> figures = new HashMap<>();
        figures.put("dispatch_16mib", Map.of("error", "PagletCrashedError: channel child failed", "payload_bytes",
                16 << 20));
        figures.put("clone_16mib", Map.of("error", "TimeoutError"));
        List<TargetRow> rows = new MoveReport(figures).rows();
        TargetRow dispatch = row(rows, "dispatch one way, 16 MiB state");
        assertEquals("FAILED", dispatch.verdict());
        assertEquals("300 ms", dispatch.paglets());
        assertFalse((Boolean) dispatch.toJson().get("met"));
        TargetRow clone = row(rows, "clone A->B, 16 MiB state");
        assertEquals("FAILED", clone.verdict());
        assertNull(clone.toJson().get("met"));
    }

    @Test
    void theHostWarmUpIsReportedBesideTheFiguresWithoutATarget() {
        Map<String, Object> figures = new HashMap<>();
        figures.put("host_warmup", Map.of("moves", 60, "first", latency(45, 90), "last", latency(23, 30)));
        List<TargetRow> rows = new MoveReport(figures).rows();
        TargetRow first = row(rows, "warm-up, first 30 dispatches");
        assertEquals("p50 45.0 ms, p99 90.0 ms (n=30)", first.measured());
        assertEquals("reported", first.verdict());
        assertEquals("p50 23.0 ms, p99 30.0 ms (n=30)", row(rows, "warm-up, last 30 dispatches").measured());
        List<TargetRow> quick = new MoveReport(Map.of("host_warmup", Map.of("moves", 10, "first",
                Map.of("n", 10, "p50_ms", 40.0, "p99_ms", 99.0)))).rows();
        assertEquals("p50 40.0 ms, p99 99.0 ms (n=10)", row(quick, "warm-up, first 10 dispatches").measured());
        assertTrue(quick.stream().noneMatch(r -> r.figure().startsWith("warm-up, last")), "no overlapping last rows");
        assertEquals("not measured", row(new MoveReport(Map.of()).rows(), "warm-up, first dispatches").verdict());
        assertEquals(10, MovePhase.hostWarmupMoves(true));
    }

    @Test
    void everySizeHasItsSampleCountsAndQuickShrinksThem() {
        assertEquals(List.of(30, 15, 8), MovePhase.sizes(false).stream().map(MovePhase.Size::samples).toList());
        assertEquals(List.of(1024, 1 << 20, 16 << 20),
                MovePhase.sizes(false).stream().map(MovePhase.Size::bytes).toList());
        assertEquals(List.of(5, 3, 2), MovePhase.sizes(true).stream().map(MovePhase.Size::samples).toList());
    }
}

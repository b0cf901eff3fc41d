package jaglets.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jaglets.bench.http.HttpBench;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpReportTest {
    private static final Path TARGET = Path.of("/p/bench/target");

    private static Map<String, Object> latency(double p50, double p99) {
        return Map.of("n", 1000, "p50_ms", p50, "p99_ms", p99);
    }

    private static TargetRow row(List<TargetRow> rows, String start) {
        return rows.stream().filter(r -> r.figure().startsWith(start)).findFirst().orElseThrow();
    }

    @Test
    void latenciesAreJudgedOnTheirP50BesidePaglets() {
        Map<String, Object> figures = new HashMap<>();
        figures.put("round_trip_keepalive_socket", latency(0.2, 3.0));
        figures.put("round_trip_new_connection", latency(0.9, 4.0));
        List<TargetRow> rows = new HttpReport(figures, BenchOptions.parse(new String[] {"--only", "http"}, TARGET))
                .rows();
        TargetRow keepAlive = row(rows, "round trip, keep-alive, plain socket");
        assertEquals("met", keepAlive.verdict());
        assertEquals("1.45 ms (new conn.)", keepAlive.paglets());
        assertEquals("p50 0.200 ms, p99 3.00 ms (n=1000)", keepAlive.measured());
        assertEquals("MISSED", row(rows, "round trip, new connection").verdict());
        assertEquals("not measured", row(rows, "round trip, keep-alive, java.net.http").verdict());
        assertEquals("not measured", row(rows, "GET /agents, 100 active").verdict());
    }

    @Test
    void throughputWithErrorsDoesNotMeetItsTarget() {
        Map<String, Object> figures = new HashMap<>();
        figures.put("throughput_8x8_socket", Map.of("msgs_per_s", 20_000, "errors", 3));
        figures.put("throughput_1x1_socket", Map.of("msgs_per_s", 4_500, "errors", 0,
                "latency", latency(0.2, 1.0)));
        List<TargetRow> rows = new HttpReport(figures, BenchOptions.parse(new String[] {"--only", "http"}, TARGET))
                .rows();
        TargetRow many = row(rows, "throughput 8 threads -> 8 agents, plain");
        assertEquals("MISSED", many.verdict());
        assertTrue(many.measured().startsWith("20,000 msg/s (3 errors)"), many.measured());
        assertEquals("met", row(rows, "throughput 1 thread -> 1 agent, plain").verdict());
    }

    @Test
    void theHealthThroughputIsReportedBesideTheMessageFiguresWithoutATarget() {
        Map<String, Object> figures = new HashMap<>();
        figures.put(HttpBench.healthThroughputKey(8), Map.of("msgs_per_s", 20_664, "errors", 0));
        List<TargetRow> rows = new HttpReport(figures, BenchOptions.parse(new String[] {"--only", "http"}, TARGET))
                .rows();
        TargetRow health = row(rows, "throughput 8 threads, GET /health (no agent)");
        assertEquals("reported", health.verdict());
        assertEquals("20,664 req/s", health.measured());
        assertEquals("-", health.target());
    }

    @Test
    void aListTakenShortOfItsCountSaysSoAndMissesItsTarget() {
        Map<String, Object> figure = new HashMap<>(latency(4.0, 6.0));
        figure.put("active", 312);
        figure.put("body_bytes", 150_000);
        figure.put("create_stopped", "time limit of 15 min reached");
        List<TargetRow> rows = new HttpReport(Map.of("list_agents_500", figure),
                BenchOptions.parse(new String[] {"--only", "http-many"}, TARGET)).rows();
        TargetRow list = row(rows, "GET /agents, 312 active (of 500)");
        assertEquals("MISSED", list.verdict());
        assertTrue(list.measured().contains("time limit of 15 min reached"), list.measured());
        assertEquals("141 ms", list.paglets());
    }

    @Test
    void aListAtAnotherCountThanPagletsIsReportedOnly() {
        Map<String, Object> figure = new HashMap<>(latency(1.0, 2.0));
        figure.put("active", 20);
        List<TargetRow> rows = new HttpReport(Map.of("list_agents_20", figure),
                BenchOptions.parse(new String[] {"--only", "http-many", "--quick"}, TARGET)).rows();
        TargetRow list = row(rows, "GET /agents, 20 active");
        assertEquals("reported", list.verdict());
        assertEquals("-", list.paglets());
        assertEquals("-", list.target());
    }
}

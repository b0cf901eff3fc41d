package jaglets.bench.driver;

import static jaglets.bench.driver.TargetRow.number;

import jaglets.bench.http.HttpBench;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP figures beside paglets' figure on this machine and the project's target: one row per
 * figure, for the table on stdout and the {@code targets} list of http.json. A row without a
 * target is reported only.
 */
final class HttpReport {
    static final double KEEPALIVE_ROUND_TRIP_P50_MS = 0.25;
    static final double NEW_CONNECTION_ROUND_TRIP_P50_MS = 0.6;
    static final double THROUGHPUT_MANY_MSGS_PER_S = 15_000;
    static final double THROUGHPUT_ONE_MSGS_PER_S = 4_000;
    static final double LIST_MANY_P50_MS = 20;
    static final double CREATE_P50_MS = 12;

    /** paglets on this machine: a new connection per request, as its Python client sends them. */
    static final String PAGLETS_ROUND_TRIP = "1.45 ms (new conn.)";
    static final String PAGLETS_THROUGHPUT_MANY = "750 msg/s";
    static final String PAGLETS_LIST_MANY = "141 ms";
    /** The count paglets' list figure and the target are for; at another count the figure is reported only. */
    static final int LIST_MANY_AGENTS = 500;
    static final String PAGLETS_CREATE = "100 ms";

    private final Map<String, Object> figures;
    private final BenchOptions options;

    HttpReport(Map<String, Object> figures, BenchOptions options) {
        this.figures = figures;
        this.options = options;
    }

    List<TargetRow> rows() {
        List<TargetRow> rows = new ArrayList<>();
        if (options.runs("http")) {
            rows.add(latency("round trip, keep-alive, java.net.http", "round_trip_keepalive_jdk", PAGLETS_ROUND_TRIP,
                    KEEPALIVE_ROUND_TRIP_P50_MS));
            rows.add(latency("round trip, keep-alive, plain socket", "round_trip_keepalive_socket", PAGLETS_ROUND_TRIP,
                    KEEPALIVE_ROUND_TRIP_P50_MS));
            rows.add(reported("round trip, keep-alive, 20 ms apart", "round_trip_keepalive_spaced", "-"));
            rows.add(latency("round trip, new connection per request", "round_trip_new_connection",
                    PAGLETS_ROUND_TRIP, NEW_CONNECTION_ROUND_TRIP_P50_MS));
            int many = HttpPhase.THREADS;
            rows.add(throughput(many, "jdk", "java.net.http", PAGLETS_THROUGHPUT_MANY, THROUGHPUT_MANY_MSGS_PER_S));
            rows.add(throughput(many, "socket", "plain sockets", PAGLETS_THROUGHPUT_MANY, THROUGHPUT_MANY_MSGS_PER_S));
            rows.add(throughput(1, "jdk", "java.net.http", "-", THROUGHPUT_ONE_MSGS_PER_S));
            rows.add(throughput(1, "socket", "plain socket", "-", THROUGHPUT_ONE_MSGS_PER_S));
            rows.add(healthThroughput(many));
            rows.add(latency("POST /agents, pool refilled (pool 2)", "create_pool_refilled", PAGLETS_CREATE,
                    CREATE_P50_MS));
            rows.add(reported("POST /agents, back to back (pool 2)", "create_back_to_back", PAGLETS_CREATE));
        }
        rows.add(list(options.agents(), "-", null));
        if (options.runs("http-many")) {
            boolean comparable = options.manyAgents() == LIST_MANY_AGENTS;
            rows.add(list(options.manyAgents(), comparable ? PAGLETS_LIST_MANY : "-",
                    comparable ? LIST_MANY_P50_MS : null));
        }
        return rows;
    }

    private TargetRow latency(String label, String key, String paglets, double targetP50) {
        String target = "p50 <= " + Report.plain(targetP50) + " ms";
        Map<String, Object> figure = figure(key);
        Double p50 = figure == null ? null : number(figure, "p50_ms");
        if (p50 == null) {
            return new TargetRow(label, "-", paglets, target, null, true);
        }
        return new TargetRow(label, percentiles(figure), paglets, target, p50 <= targetP50, true);
    }

    private TargetRow reported(String label, String key, String paglets) {
        Map<String, Object> figure = figure(key);
        if (figure == null || number(figure, "p50_ms") == null) {
            return new TargetRow(label, "-", paglets, "-", null, false);
        }
        return new TargetRow(label, percentiles(figure), paglets, "-", null, false);
    }

    private TargetRow throughput(int threads, String client, String clientLabel, String paglets, double target) {
        String label = "throughput " + threads + " thread" + (threads == 1 ? "" : "s") + " -> " + threads + " agent"
                + (threads == 1 ? "" : "s") + ", " + clientLabel;
        String targetText = ">= " + grouped(target) + " msg/s";
        Map<String, Object> figure = figure("throughput_" + threads + "x" + threads + "_" + client);
        Double rate = figure == null ? null : number(figure, "msgs_per_s");
        if (rate == null) {
            return new TargetRow(label, "-", paglets, targetText, null, true);
        }
        long errors = figure.get("errors") instanceof Number n ? n.longValue() : 0;
        String measured = grouped(rate) + " msg/s" + (errors > 0 ? " (" + errors + " errors)" : "");
        if (figure.get("latency") instanceof Map<?, ?> latency && latency.get("p50_ms") instanceof Number p50
                && latency.get("p99_ms") instanceof Number p99) {
            measured += "; p50 " + Report.ms(p50.doubleValue()) + ", p99 " + Report.ms(p99.doubleValue());
        }
        return new TargetRow(label, measured, paglets, targetText, errors == 0 && rate >= target, true);
    }

    /** What the HTTP server alone sustains: no agent, no child, so no message figure can be above it. */
    private TargetRow healthThroughput(int threads) {
        String label = "throughput " + threads + " threads, GET /health (no agent), plain sockets";
        Map<String, Object> figure = figure(HttpBench.healthThroughputKey(threads));
        Double rate = figure == null ? null : number(figure, "msgs_per_s");
        if (rate == null) {
            return new TargetRow(label, "-", "-", "-", null, false);
        }
        long errors = figure.get("errors") instanceof Number n ? n.longValue() : 0;
        return new TargetRow(label, grouped(rate) + " req/s" + (errors > 0 ? " (" + errors + " errors)" : ""), "-",
                "-", null, false);
    }

    private TargetRow list(int requested, String paglets, Double targetP50) {
        String label = "GET /agents, " + requested + " active";
        String target = targetP50 == null ? "-" : "p50 <= " + Report.plain(targetP50) + " ms";
        Map<String, Object> figure = figure("list_agents_" + requested);
        if (figure == null || number(figure, "p50_ms") == null) {
            return new TargetRow(label, "-", paglets, target, null, targetP50 != null);
        }
        long active = figure.get("active") instanceof Number n ? n.longValue() : -1;
        String measured = percentiles(figure) + ", " + kib(number(figure, "body_bytes")) + " KiB";
        if (active != requested) {
            label = "GET /agents, " + active + " active (of " + requested + ")";
            measured += "; only " + active + " active: " + figure.get("create_stopped");
        }
        Boolean met = targetP50 == null ? null : active == requested && number(figure, "p50_ms") <= targetP50;
        return new TargetRow(label, measured, paglets, target, met, targetP50 != null);
    }

    private static String percentiles(Map<String, Object> figure) {
        return "p50 " + Report.ms(number(figure, "p50_ms")) + ", p99 " + Report.ms(number(figure, "p99_ms")) + " (n="
                + figure.get("n") + ")";
    }

    String table() {
        return TargetRow.table("figure (over HTTP)", rows());
    }

    private Map<String, Object> figure(String key) {
        return TargetRow.figure(figures, key);
    }


    static String grouped(double value) {
        return String.format(Locale.ROOT, "%,d", Math.round(value));
    }

    private static String kib(Double bytes) {
        return bytes == null ? "-" : Report.fixed(bytes / 1024, 0);
    }
}

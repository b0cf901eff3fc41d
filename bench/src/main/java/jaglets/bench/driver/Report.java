package jaglets.bench.driver;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures against the project's targets: one row per target, for the table on stdout and
 * the {@code targets} list of runtime.json. A row whose figure was not measured says so.
 */
final class Report {
    static final double WARM_CREATE_P50_MS = 10;
    static final double COLD_CREATE_P50_MS = 200;
    static final double ACTIVATE_P50_MS = 10;
    static final double DEACTIVATE_P50_MS = 3;
    static final double ROUND_TRIP_P50_MS = 0.1;
    static final double PSS_PER_AGENT_MIB = 25;
    static final double INACTIVE_START_S = 5;

    /** One target: what was measured and whether it is met ({@code null}: not measured). */
    record Row(String figure, String measured, String target, Boolean met) {
        String verdict() {
            return met == null ? "not measured" : met ? "met" : "MISSED";
        }

        Map<String, Object> toJson() {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("figure", figure);
            row.put("measured", measured);
            row.put("target", target);
            row.put("met", met);
            return row;
        }
    }

    private final Map<String, Object> figures;
    private final BenchOptions options;

    Report(Map<String, Object> figures, BenchOptions options) {
        this.figures = figures;
        this.options = options;
    }

    List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(latency("create -> first reply, warm pool", "create_first_reply_warm", WARM_CREATE_P50_MS));
        rows.add(latency("create -> first reply, cold child (pool 0)", "create_first_reply_cold", COLD_CREATE_P50_MS));
        rows.add(latency("activate", "activate", ACTIVATE_P50_MS));
        rows.add(latency("deactivate", "deactivate", DEACTIVATE_P50_MS));
        rows.add(latency("round trip host.call(ping)", "round_trip", ROUND_TRIP_P50_MS));
        rows.add(memory());
        rows.add(many());
        rows.addAll(inactive());
        return rows;
    }

    private Row latency(String label, String key, double targetP50) {
        String target = "p50 <= " + plain(targetP50) + " ms";
        Map<String, Object> figure = figure(key);
        if (figure == null || number(figure, "p50_ms") == null) {
            return new Row(label, "-", target, null);
        }
        double p50 = number(figure, "p50_ms");
        String measured = "p50 " + ms(p50) + ", p99 " + ms(number(figure, "p99_ms")) + " (n=" + figure.get("n") + ")";
        return new Row(label, measured, target, p50 <= targetP50);
    }

    private Row memory() {
        String key = "active_" + options.agents();
        String label = "PSS per active agent, " + options.agents() + " active";
        String target = "median <= " + plain(PSS_PER_AGENT_MIB) + " MiB";
        Map<String, Object> figure = figure(key);
        if (figure == null || number(figure, "child_pss_median_mib") == null) {
            return new Row(label, "-", target, null);
        }
        double median = number(figure, "child_pss_median_mib");
        String measured = "median " + fixed(median, 1) + " MiB, mean " + fixed(number(figure, "child_pss_mean_mib"), 1)
                + " MiB; host " + fixed(number(figure, "host_pss_mib"), 0) + " MiB";
        boolean complete = longValue(figure, "created") == options.agents() && longValue(figure, "errors") == 0;
        return new Row(label, measured + (complete ? "" : "; only " + figure.get("created") + " created"), target,
                complete && median <= PSS_PER_AGENT_MIB);
    }

    private Row many() {
        Map<String, Object> figure = figure("active_" + options.manyAgents());
        String label = options.manyAgents() + " active agents, child heap " + options.manyHeap();
        String target = "all " + options.manyAgents() + " up, no error";
        if (figure == null) {
            return new Row(label, options.runs("many") ? "-" : "not in this run (--all or --only many)", target,
                    null);
        }
        long created = longValue(figure, "created");
        long answering = longValue(figure, "answering_all_up");
        long errors = longValue(figure, "errors");
        String measured = created + " created, " + answering + " answering, " + errors + " errors, "
                + fixed(number(figure, "create_total_s"), 0) + " s; child PSS median "
                + fixed(number(figure, "child_pss_median_mib"), 1) + " MiB";
        return new Row(label, measured, target,
                created == options.manyAgents() && answering == created && errors == 0);
    }

    private List<Row> inactive() {
        Map<String, Object> figure = figure("inactive");
        String startLabel = options.inactiveRecords() + " inactive: host start";
        String startTarget = "<= " + plain(INACTIVE_START_S) + " s";
        String answerLabel = options.inactiveRecords() + " inactive: one answers incr";
        if (figure == null || number(figure, "host_start_s") == null) {
            return List.of(new Row(startLabel, "-", startTarget, null), new Row(answerLabel, "-", "answers", null));
        }
        double start = number(figure, "host_start_s");
        long logged = longValue(figure, "logged_inactive");
        Row startRow = new Row(startLabel, fixed(start, 2) + " s to the log line (" + logged + " inactive)", startTarget,
                start >= 0 && start <= INACTIVE_START_S && logged == options.inactiveRecords());
        Object answer = figure.get("first_answer");
        Row answerRow = answer == null
                ? new Row(answerLabel, "no answer", "answers", false)
                : new Row(answerLabel, "answered " + answer + " in " + ms(number(figure, "first_answer_ms"))
                        + " right after start; " + ms(number(figure, "settled_answer_ms")) + " once the pool was full",
                        "answers", answer instanceof Number);
        return List.of(startRow, answerRow);
    }

    /** The table printed at the end of a run. */
    String table() {
        return Table.format(List.of("figure", "measured", "target", "result"), rows().stream()
                .map(r -> List.of(r.figure(), r.measured(), r.target(), r.verdict())).toList());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> figure(String key) {
        Object value = figures.get(key);
        return value instanceof Map ? (Map<String, Object>) value : null;
    }

    private static Double number(Map<String, Object> figure, String key) {
        return figure.get(key) instanceof Number n ? n.doubleValue() : null;
    }

    private static long longValue(Map<String, Object> figure, String key) {
        return figure.get(key) instanceof Number n ? n.longValue() : -1;
    }

    static String ms(Double millis) {
        if (millis == null) {
            return "-";
        }
        int decimals = millis < 1 ? 3 : millis < 10 ? 2 : millis < 100 ? 1 : 0;
        return fixed(millis, decimals) + " ms";
    }

    /** A target as written: no trailing zeros. */
    static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    static String fixed(Double value, int decimals) {
        return value == null ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}

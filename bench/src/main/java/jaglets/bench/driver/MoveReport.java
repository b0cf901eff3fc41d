package jaglets.bench.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The move figures beside paglets' figure on this machine and the project's target: one row per
 * figure and state size, for the table on stdout and the {@code targets} list of move.json. A
 * row without a target is reported only.
 */
final class MoveReport {
    static final double DISPATCH_SMALL_P50_MS = 15;
    static final double CLONE_SMALL_P50_MS = 15;
    static final double DISPATCH_16MIB_P50_MS = 150;

    /** paglets on this machine. */
    static final String PAGLETS_DISPATCH = "106 ms";
    static final String PAGLETS_ROUND_TRIP = "212 ms";
    static final String PAGLETS_CLONE = "115 ms";
    static final String PAGLETS_DISPATCH_16MIB = "300 ms";

    private final Map<String, Object> figures;

    MoveReport(Map<String, Object> figures) {
        this.figures = figures;
    }

    List<TargetRow> rows() {
        List<TargetRow> rows = new ArrayList<>();
        rows.add(row("dispatch one way, 1 KiB state", "dispatch_1kib", PAGLETS_DISPATCH, DISPATCH_SMALL_P50_MS));
        rows.add(row("dispatch one way, 1 MiB state", "dispatch_1mib", "-", null));
        rows.add(row("dispatch one way, 16 MiB state", "dispatch_16mib", PAGLETS_DISPATCH_16MIB, DISPATCH_16MIB_P50_MS));
        rows.add(row("dispatch A->B->A, 1 KiB state", "round_trip_1kib", PAGLETS_ROUND_TRIP, null));
        rows.add(row("dispatch A->B->A, 1 MiB state", "round_trip_1mib", "-", null));
        rows.add(row("dispatch A->B->A, 16 MiB state", "round_trip_16mib", "-", null));
        rows.add(row("clone A->B, 1 KiB state", "clone_1kib", PAGLETS_CLONE, CLONE_SMALL_P50_MS));
        rows.add(row("clone A->B, 1 MiB state", "clone_1mib", "-", null));
        rows.add(row("clone A->B, 16 MiB state", "clone_16mib", "-", null));
        // the warm-up before them, apart: the same dispatch as the first row, on hosts that had moved nothing yet
        rows.add(warmupRow("first"));
        if (warmup("last") != null) {
            rows.add(warmupRow("last"));
        }
        return rows;
    }

    private Object warmup(String part) {
        return figures.get("host_warmup") instanceof Map<?, ?> warmup ? warmup.get(part) : null;
    }

    private TargetRow row(String label, String key, String paglets, Double targetP50) {
        return row(label, figures.get(key), paglets, targetP50);
    }

    /** {@code first} or {@code last}: the warm-up's first or last dispatches, as many as were timed apart. */
    private TargetRow warmupRow(String part) {
        Object value = warmup(part);
        Object n = value instanceof Map<?, ?> figure ? figure.get("n") : null;
        return row("warm-up, " + part + " " + (n == null ? "" : n + " ") + "dispatches", value, "-", null);
    }

    private TargetRow row(String label, Object value, String paglets, Double targetP50) {
        String target = targetP50 == null ? "-" : "p50 <= " + Report.plain(targetP50) + " ms";
        boolean hasTarget = targetP50 != null;
        if (value instanceof Map<?, ?> failed && failed.get("error") != null) {
            return new TargetRow(label, TargetRow.FAILED, paglets, target, hasTarget ? false : null, hasTarget);
        }
        if (!(value instanceof Map<?, ?> figure) || !(figure.get("p50_ms") instanceof Number p50)) {
            return new TargetRow(label, "-", paglets, target, null, hasTarget);
        }
        String measured = "p50 " + Report.ms(p50.doubleValue()) + ", p99 "
                + Report.ms(((Number) figure.get("p99_ms")).doubleValue()) + " (n=" + figure.get("n") + ")";
        return new TargetRow(label, measured, paglets, target, hasTarget ? p50.doubleValue() <= targetP50 : null, hasTarget);
    }

    String table() {
        return TargetRow.table("figure (between two hosts)", rows());
    }
}

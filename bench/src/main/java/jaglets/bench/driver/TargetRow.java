package jaglets.bench.driver;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One figure of a phase's report beside paglets' number on this machine and the project's
 * target: what was measured, and whether it is met ({@code null}: no verdict). Shared by the
 * HTTP, move and mesh reports, with the lookups they make in a phase's figures.
 */
record TargetRow(String figure, String measured, String paglets, String target, Boolean met, boolean hasTarget) {

    /** What a figure that ran and failed shows; its error is in the errors. */
    static final String FAILED = "failed (see the errors)";

    String verdict() {
        if (measured.equals(FAILED)) {
            return "FAILED";
        }
        if (!hasTarget) {
            return measured.equals("-") ? "not measured" : "reported";
        }
        return met == null ? "not measured" : met ? "met" : "MISSED";
    }

    Map<String, Object> toJson() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("figure", figure);
        row.put("measured", measured);
        row.put("paglets", paglets);
        row.put("target", target);
        row.put("met", hasTarget ? met : null);
        return row;
    }

    /** The rows as the table printed on stdout, its first column named {@code title}. */
    static String table(String title, List<TargetRow> rows) {
        return Table.format(List.of(title, "measured", "paglets", "target", "result"), rows.stream()
                .map(r -> List.of(r.figure(), r.measured(), r.paglets(), r.target(), r.verdict())).toList());
    }

    /** One named figure of a phase (a map), or {@code null} when it was not measured. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> figure(Map<String, Object> figures, String key) {
        Object value = figures.get(key);
        return value instanceof Map ? (Map<String, Object>) value : null;
    }

    static Double number(Map<String, Object> figure, String key) {
        return figure.get(key) instanceof Number n ? n.doubleValue() : null;
    }
}

package jaglets.bench.driver;

import static jaglets.bench.driver.TargetRow.number;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The mesh figures beside the project's targets, for the table on stdout and the {@code targets}
 * list of mesh.json. A row without a target is reported only.
 */
final class MeshReport {
    static final double SIMULATED_CONVERGE_S = 5;
    /** The mesh size the convergence target is for; at another size the figure is reported only. */
    static final int SIMULATED_HOSTS = 200;
    static final double SEEDED_SEE_EACH_OTHER_S = 2;

    private final Map<String, Object> figures;

    MeshReport(Map<String, Object> figures) {
        this.figures = figures;
    }

    List<TargetRow> rows() {
        List<TargetRow> rows = new ArrayList<>();
        Map<String, Object> simulated = figure("simulated");
        long hosts = simulated == null ? SIMULATED_HOSTS : number(simulated, "hosts").longValue();
        boolean targetSize = hosts == SIMULATED_HOSTS;
        String convergeTarget = targetSize ? "<= " + Report.plain(SIMULATED_CONVERGE_S) + " s" : "-";
        String sentTarget = "<= fan-out " + MeshPhase.FANOUT;
        String paglets = "2 x " + (hosts - 1) + " (GET /health + POST /hosts/join to every known host)";
        if (simulated == null) {
            rows.add(new TargetRow(hosts + " simulated hosts converge, one seed", "-", "-", convergeTarget, null, targetSize));
            rows.add(new TargetRow("exchanges a host starts per round, " + hosts + " hosts", "-", paglets, sentTarget, null,
                    true));
        } else {
            Double seconds = number(simulated, "converged_s");
            boolean converged = Boolean.TRUE.equals(simulated.get("converged"));
            String measured = converged ? seconds + " s, " + simulated.get("rounds_to_converge") + " rounds (median host "
                    + simulated.get("host_converged_median_s") + " s)"
                    : "not converged: " + simulated.get("hosts_converged") + " of " + hosts + " hosts";
            rows.add(new TargetRow(hosts + " simulated hosts converge, one seed", measured, "-", convergeTarget,
                    converged && seconds <= SIMULATED_CONVERGE_S, targetSize));
            long most = number(simulated, "max_sent_per_round").longValue();
            rows.add(new TargetRow("exchanges a host starts per round, " + hosts + " hosts", "max " + most + ", mean "
                    + simulated.get("mean_sent_per_round") + "; busiest host answered "
                    + simulated.get("busiest_host_received_per_round") + " per round", paglets, sentTarget,
                    most <= MeshPhase.FANOUT, true));
        }
        rows.add(timed("3 real hosts joined through one seed see each other", "seeded", "-",
                "<= " + Report.plain(SEEDED_SEE_EACH_OTHER_S) + " s", SEEDED_SEE_EACH_OTHER_S));
        double expiry = MeshPhase.OFFLINE_MS / 1000.0;
        // the view is read every poll: a host that turned offline just then is seen up to one poll late
        rows.add(timed("killed host (SIGKILL) shown offline by the other two", "killed", "next failed request, ~1 s",
                "<= " + Report.plain(expiry) + " s (the expiry) + one " + MeshPhase.POLL.toMillis() + " ms poll",
                expiry + MeshPhase.POLL.toMillis() / 1000.0));
        rows.add(timed("3 real hosts without seeds find each other by beacons", "beacons", "-", "-", null));
        return rows;
    }

    /** A row of a timed real-host figure: its {@code all_s} and each host's. */
    private TargetRow timed(String label, String key, String paglets, String target, Double limit) {
        Map<String, Object> figure = figure(key);
        if (figure == null || number(figure, "all_s") == null) {
            return new TargetRow(label, "-", paglets, target, null, limit != null);
        }
        double all = number(figure, "all_s");
        List<String> each = new ArrayList<>();
        if (figure.get("hosts_s") instanceof Map<?, ?> hosts) {
            hosts.forEach((name, seconds) -> each.add(name + " " + seconds));
        }
        String measured = all + " s" + (each.isEmpty() ? "" : " (" + String.join(", ", each) + ")");
        if (figure.get("last_heard_before_kill_s") instanceof Number quiet) {
            measured += "; last heard " + quiet + " s before the kill";
        }
        return new TargetRow(label, measured, paglets, target, limit == null ? null : all <= limit, limit != null);
    }

    String table() {
        return TargetRow.table("figure (mesh)", rows());
    }

    private Map<String, Object> figure(String key) {
        return TargetRow.figure(figures, key);
    }

}

package jaglets.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeshReportTest {

    private static TargetRow row(List<TargetRow> rows, String start) {
        return rows.stream().filter(r -> r.figure().startsWith(start)).findFirst().orElseThrow();
    }

    private static Map<String, Object> simulated(boolean converged, double seconds, long mostSent) {
        Map<String, Object> figure = new LinkedHashMap<>();
        figure.put("hosts", 200L);
        figure.put("converged", converged);
        figure.put("hosts_converged", converged ? 200L : 150L);
        figure.put("converged_s", converged ? seconds : null);
        figure.put("host_converged_median_s", 2.5);
        figure.put("rounds_to_converge", 5L);
        figure.put("max_sent_per_round", mostSent);
        figure.put("mean_sent_per_round", 2.9);
        figure.put("busiest_host_received_per_round", 4.1);
        return figure;
    }

    @Test
    void theSimulatedMeshMeetsItsTargetsWhenItConvergesInTimeWithinTheFanout() {
        List<TargetRow> rows = new MeshReport(Map.of("simulated", simulated(true, 4.2, 3))).rows();
        TargetRow converge = row(rows, "200 simulated hosts converge");
        assertEquals("met", converge.verdict());
        assertEquals("4.2 s, 5 rounds (median host 2.5 s)", converge.measured());
        TargetRow sent = row(rows, "exchanges a host starts per round");
        assertEquals("met", sent.verdict());
        assertEquals("2 x 199 (GET /health + POST /hosts/join to every known host)", sent.paglets());
        assertEquals("not measured", row(rows, "3 real hosts joined").verdict());
    }

    @Test
    void aMeshThatDidNotConvergeOrSentTooMuchMissesItsTargets() {
        List<TargetRow> rows = new MeshReport(Map.of("simulated", simulated(false, 0, 4))).rows();
        assertEquals("MISSED", row(rows, "200 simulated hosts converge").verdict());
        assertEquals("not converged: 150 of 200 hosts", row(rows, "200 simulated hosts converge").measured());
        assertEquals("MISSED", row(rows, "exchanges a host starts per round").verdict());
    }

    @Test
    void realHostFiguresAreJudgedOnTheSlowestHost() {
        Map<String, Object> seededHosts = new LinkedHashMap<>();
        seededHosts.put("seed", 0.4);
        seededHosts.put("second", 1.1);
        seededHosts.put("third", 2.3);
        Map<String, Object> seeded = Map.of("all_s", 2.3, "hosts_s", seededHosts);
        Map<String, Object> killedHosts = new LinkedHashMap<>();
        killedHosts.put("seed", 9.1);
        killedHosts.put("second", 10.01);
        Map<String, Object> killed = Map.of("all_s", 10.01, "hosts_s", killedHosts, "last_heard_before_kill_s", 0.0);
        List<TargetRow> rows = new MeshReport(Map.of("seeded", seeded, "killed", killed, "beacons",
                Map.of("all_s", 1.0))).rows();
        TargetRow joined = row(rows, "3 real hosts joined");
        assertEquals("MISSED", joined.verdict());
        assertEquals("2.3 s (seed 0.4, second 1.1, third 2.3)", joined.measured());
        assertEquals("met", row(rows, "killed host").verdict(), "offline at the expiry, seen at the next poll");
        assertEquals("10.01 s (seed 9.1, second 10.01); last heard 0.0 s before the kill",
                row(rows, "killed host").measured());
        assertEquals("reported", row(rows, "3 real hosts without seeds").verdict());
    }
}

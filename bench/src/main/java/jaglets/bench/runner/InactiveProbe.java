package jaglets.bench.runner;

import jaglets.runtime.HostHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * On a host started over many inactive records: sends {@code incr} to one inactive agent as
 * soon as the Host service is up (it activates on the message), then, once the pool is full,
 * to a second one.
 */
final class InactiveProbe implements Scenario {

    @Override
    public Map<String, Object> run(BenchHost bench, BenchSettings settings) {
        List<String> ids = settings.probeIds();
        if (ids.size() < 2) {
            throw new IllegalArgumentException("jaglets.bench.probe.ids needs two inactive agent ids");
        }
        Map<String, Object> figure = new LinkedHashMap<>();
        HostHealth health = bench.host().health();
        figure.put("inactive_at_service_start", health.inactiveCount());
        figure.put("pooled_children_at_service_start", health.pooledChildren());

        long start = System.nanoTime();
        Object first = bench.call(ids.get(0), "incr");
        long firstNanos = System.nanoTime() - start;
        figure.put("first_agent", ids.get(0));
        figure.put("first_answer", first);
        figure.put("first_answer_ms", millis(firstNanos));
        ProcessHandle.current().info().startInstant().ifPresent(started ->
                figure.put("process_start_to_first_answer_ms", Duration.between(started, Instant.now()).toMillis()));

        bench.awaitSettled();
        start = System.nanoTime();
        Object second = bench.call(ids.get(1), "incr");
        long secondNanos = System.nanoTime() - start;
        figure.put("settled_agent", ids.get(1));
        figure.put("settled_answer", second);
        figure.put("settled_answer_ms", millis(secondNanos));

        long hostPss = Pss.ofProcessKiB(ProcessHandle.current().pid());
        figure.put("host_pss_mib", hostPss < 0 ? null : Math.round(hostPss / 1024.0 * 10) / 10.0);
        figure.put("inactive_after", bench.host().health().inactiveCount());
        return Map.of("inactive_probe", figure);
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1000.0) / 1000.0;
    }
}

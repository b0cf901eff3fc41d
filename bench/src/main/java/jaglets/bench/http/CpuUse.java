package jaglets.bench.http;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time used so far by the host process, by its children (the agents' JVMs) and by this
 * process (the client), from the operating system's per-process accounting. Two readings give
 * what a run cost per message, and how much of the machine the three had between them: on a
 * machine shared with other work, that says whether a figure is bound by the CPU it got.
 */
final class CpuUse {
    private final Map<Long, Long> hostNanos;
    private final Map<Long, Long> childNanos;
    private final long clientNanos;
    private final long at;

    private CpuUse(Map<Long, Long> hostNanos, Map<Long, Long> childNanos, long clientNanos, long at) {
        this.hostNanos = hostNanos;
        this.childNanos = childNanos;
        this.clientNanos = clientNanos;
        this.at = at;
    }

    /** A reading now; {@code host} may be null (then only the client is read). */
    static CpuUse sample(ProcessHandle host) {
        Map<Long, Long> hostNanos = new HashMap<>();
        Map<Long, Long> childNanos = new HashMap<>();
        if (host != null) {
            cpu(host).ifPresent(n -> hostNanos.put(host.pid(), n));
            host.descendants().forEach(child -> cpu(child).ifPresent(n -> childNanos.put(child.pid(), n)));
        }
        return new CpuUse(hostNanos, childNanos, cpu(ProcessHandle.current()).orElse(-1L), System.nanoTime());
    }

    /**
     * CPU microseconds per message of each part since {@code earlier}, and their share of all the
     * machine's CPUs in that time. Processes that came or went in between are left out.
     */
    Map<String, Object> perMessageSince(CpuUse earlier, long messages) {
        long host = delta(earlier.hostNanos, hostNanos);
        long children = delta(earlier.childNanos, childNanos);
        long client = clientNanos < 0 || earlier.clientNanos < 0 ? 0 : clientNanos - earlier.clientNanos;
        long total = host + children + client;
        double wall = (at - earlier.at) * (double) Runtime.getRuntime().availableProcessors();
        Map<String, Object> use = new LinkedHashMap<>();
        if (messages > 0) {
            use.put("host_us_per_msg", micros(host, messages));
            use.put("children_us_per_msg", micros(children, messages));
            use.put("client_us_per_msg", micros(client, messages));
            use.put("total_us_per_msg", micros(total, messages));
        }
        use.put("share_of_all_cpus_pct", wall <= 0 ? null : Math.round(total / wall * 1000) / 10.0);
        return use;
    }

    private static double micros(long nanos, long messages) {
        return Math.round(nanos / 1000.0 / messages * 10) / 10.0;
    }

    private static long delta(Map<Long, Long> before, Map<Long, Long> after) {
        long sum = 0;
        for (Map.Entry<Long, Long> entry : after.entrySet()) {
            Long earlier = before.get(entry.getKey());
            if (earlier != null) {
                sum += entry.getValue() - earlier;
            }
        }
        return sum;
    }

    private static Optional<Long> cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos);
    }
}

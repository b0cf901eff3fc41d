package jaglets.bench.runner;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * What one benchmark host runs, read from framework (or {@code -D} system) properties. The
 * driver sets all of them; the defaults are those of {@code ./jaglets bench}.
 *
 * @param scenarios {@code jaglets.bench.run}: comma-separated, run in the given order
 * @param out {@code jaglets.bench.out}: the JSON result file
 * @param poolSize {@code jaglets.pool.size}, the host's own setting (its default is 2)
 * @param childHeap {@code jaglets.child.heap}, the host's own setting (reported only)
 * @param iterations {@code jaglets.bench.iterations}: measured creates, activations, deactivations
 * @param warmup {@code jaglets.bench.warmup}: unmeasured iterations before those
 * @param calls {@code jaglets.bench.calls}: measured round trips
 * @param callWarmup {@code jaglets.bench.calls.warmup}: unmeasured round trips before those
 * @param agents {@code jaglets.bench.agents}: agents kept active at once by {@code active}
 * @param concurrency {@code jaglets.bench.concurrency}: creations in flight at once by {@code active}
 * @param memoryFloorMiB {@code jaglets.bench.memory.floor.mib}: {@code active} stops creating
 *        agents when the machine's MemAvailable falls below this
 * @param seedId {@code jaglets.bench.seed.id}: the agent {@code seed} creates and deactivates
 * @param probeIds {@code jaglets.bench.probe.ids}: inactive agents {@code probe} sends to
 */
record BenchSettings(List<String> scenarios, Path out, int poolSize, String childHeap, int iterations, int warmup,
                     int calls, int callWarmup, int agents, int concurrency, long memoryFloorMiB, String seedId,
                     List<String> probeIds) {

    static final String RUN = "jaglets.bench.run";

    static BenchSettings from(Function<String, String> properties) {
        Function<String, String> p = key -> {
            String value = properties.apply(key);
            return value == null || value.isBlank() ? null : value.trim();
        };
        String out = p.apply("jaglets.bench.out");
        if (out == null) {
            throw new IllegalArgumentException("jaglets.bench.out (the result file) is not set");
        }
        return new BenchSettings(list(p.apply(RUN)), Path.of(out),
                integer(p, "jaglets.pool.size", 2),
                p.apply("jaglets.child.heap") == null ? "256m" : p.apply("jaglets.child.heap"),
                integer(p, "jaglets.bench.iterations", 40),
                integer(p, "jaglets.bench.warmup", 3),
                integer(p, "jaglets.bench.calls", 20_000),
                integer(p, "jaglets.bench.calls.warmup", 2_000),
                integer(p, "jaglets.bench.agents", 100),
                integer(p, "jaglets.bench.concurrency", 4),
                integer(p, "jaglets.bench.memory.floor.mib", 2048),
                p.apply("jaglets.bench.seed.id") == null ? "bench-seed" : p.apply("jaglets.bench.seed.id"),
                list(p.apply("jaglets.bench.probe.ids")));
    }

    private static int integer(Function<String, String> p, String key, int fallback) {
        String value = p.apply(key);
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + " is not a whole number", e);
        }
    }

    private static List<String> list(String value) {
        return value == null ? List.of() : Arrays.stream(value.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }
}

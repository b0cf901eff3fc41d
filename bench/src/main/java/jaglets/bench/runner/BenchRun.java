package jaglets.bench.runner;

import jaglets.bench.report.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs the scenarios of one benchmark host in order and writes their figures as JSON:
 * {@code {"ok", "host", "figures", "errors"}}. A failed scenario is reported and the next one
 * still runs.
 */
final class BenchRun {
    /** The scenarios by the names {@code jaglets.bench.run} uses. */
    static final Map<String, Supplier<Scenario>> SCENARIOS = Map.of(
            "create", CreateLatency::new,
            "lifecycle", ActivationLatency::new,
            "roundtrip", RoundTrip::new,
            "active", ActiveAgents::new,
            "seed", SeedInactive::new,
            "probe", InactiveProbe::new);

    private final BenchHost bench;
    private final BenchSettings settings;

    BenchRun(BenchHost bench, BenchSettings settings) {
        this.bench = bench;
        this.settings = settings;
    }

    Map<String, Object> run() {
        Map<String, Object> figures = new LinkedHashMap<>();
        List<Object> errors = new ArrayList<>();
        for (String name : settings.scenarios()) {
            Supplier<Scenario> scenario = SCENARIOS.get(name);
            if (scenario == null) {
                errors.add(Map.of("scenario", name, "error", "unknown scenario; known: " + SCENARIOS.keySet()));
                continue;
            }
            if (Thread.currentThread().isInterrupted()) {
                errors.add(Map.of("scenario", name, "error", "not run: the framework is stopping"));
                continue;
            }
            Progress.say("scenario " + name);
            long start = System.nanoTime();
            try {
                figures.putAll(scenario.get().run(bench, settings));
                Progress.say("scenario " + name + " done in " + Math.round((System.nanoTime() - start) / 1e8) / 10.0
                        + " s");
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                Progress.say("scenario " + name + " failed: " + e);
                errors.add(Map.of("scenario", name, "error", String.valueOf(e)));
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ok", errors.isEmpty());
        result.put("host", hostFacts());
        result.put("figures", figures);
        result.put("errors", errors);
        return result;
    }

    private Map<String, Object> hostFacts() {
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("name", bench.host().name());
        host.put("pool_size", settings.poolSize());
        host.put("child_heap", settings.childHeap());
        host.put("child_archive", bench.host().health().childArchive());
        host.put("java", Runtime.version().toString());
        return host;
    }

    /** Writes next to the target, then renames, so the driver never reads half a file. */
    static void write(Path out, Map<String, Object> result) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        Path temp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.writeString(temp, Json.write(result));
        Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

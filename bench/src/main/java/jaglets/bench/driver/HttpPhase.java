package jaglets.bench.driver;

import jaglets.bench.http.HttpBench;
import jaglets.bench.http.HttpSettings;
import jaglets.bench.report.MachineLoad;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The HTTP figures: one ordinary benchmark host ({@code bench.jar} without
 * {@code jaglets.bench.run}, so it only serves its API) on a free loopback port, measured from
 * this process by {@link HttpBench}, then stopped with every process it started.
 */
final class HttpPhase {
    static final String PHASE = "http";
    static final int POOL_SIZE = 2;
    /** Client threads, and agents, of the many-client throughput figure. */
    static final int THREADS = 8;
    /** How long the host may take to answer its first {@code GET /health}. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** Jetty could not listen: the port was taken between choosing it and binding it. */
    private static final Pattern BIND_FAILED = Pattern.compile("Failed to start Connector|Failed to bind");
    private static final int PORT_ATTEMPTS = 3;

    private final BenchOptions options;
    private final Path java;
    private final Path work;
    private final Path logs;
    private final Consumer<HostProcess> running;
    private final Map<String, Object> figures = new LinkedHashMap<>();
    /** Also written by the watchdog thread. */
    private final List<Object> errors = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Object> host = new LinkedHashMap<>();

    HttpPhase(BenchOptions options, Path java, Path work, Path logs, Consumer<HostProcess> running) {
        this.options = options;
        this.java = java;
        this.work = work;
        this.logs = logs;
        this.running = running;
    }

    Map<String, Object> figures() {
        return figures;
    }

    List<Object> errors() {
        return errors;
    }

    /** The host's settings, start time and wall time. */
    Map<String, Object> host() {
        return host;
    }

    /** What http.json holds beside the machine: settings, the host, figures, targets and errors. */
    Map<String, Object> report() {
        Map<String, Object> settings = settings().toJson();
        settings.put("pool_size", POOL_SIZE);
        settings.put("child_heap", options.manyHeap());
        settings.put("bench_jar", options.benchJar().toString());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("settings", settings);
        report.put("host", host);
        report.put("figures", figures);
        report.put("targets", new HttpReport(figures, options).rows().stream().map(TargetRow::toJson).toList());
        report.put("errors", errors);
        return report;
    }

    /** How busy the machine was while the HTTP host ran. */
    String loadLine() {
        return "HTTP host: load average " + host.get("load_average_at_start") + " at its start, "
                + host.get("load_average_at_end") + " at its end; CPU pressure " + host.get("cpu_pressure_pct")
                + "% while it ran (time some task waited for a CPU)";
    }

    HttpSettings settings() {
        int calls = options.httpCalls();
        boolean quick = options.quick();
        return new HttpSettings(options.runs("http"), calls, Math.max(calls / 10, 100), Math.max(calls / 4, 100),
                Duration.ofMillis(Math.max(1000, options.httpSeconds() * 1000L / 3)),
                Duration.ofSeconds(options.httpSeconds()), THREADS, options.iterations(), 3,
                Math.max(5, options.iterations() / 2), options.agents(),
                options.runs("http-many") ? options.manyAgents() : 0, quick ? 20 : 200, quick ? 5 : 20,
                options.concurrency(), Duration.ofMinutes(options.httpCreateMinutes()), 2048, Duration.ofSeconds(60));
    }

    void run() throws IOException, InterruptedException {
        long begin = System.nanoTime();
        long pressureBefore = MachineLoad.cpuPressureMicros();
        host.put("load_average_at_start", MachineLoad.loadAverage());
        try {
            for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
                if (runOnce(attempt)) {
                    break;
                }
            }
        } finally {
            long wall = System.nanoTime() - begin;
            host.put("wall_s", Math.round(wall / 1e8) / 10.0);
            host.put("load_average_at_end", MachineLoad.loadAverage());
            host.put("cpu_pressure_pct", MachineLoad.pressurePercent(pressureBefore, MachineLoad.cpuPressureMicros(),
                    wall));
            System.out.println("host '" + PHASE + "' done in " + host.get("wall_s") + " s; CPU pressure "
                    + host.get("cpu_pressure_pct") + "% (time some task waited for a CPU)");
        }
    }

    /** One host on one port; false if Jetty could not bind it and another port should be tried. */
    private boolean runOnce(int attempt) throws IOException, InterruptedException {
        int port = HostProcess.freeLoopbackPort();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        // a name no other host on this machine has, to tell this host from whatever else might answer on the port
        String name = "bench-http-" + ProcessHandle.current().pid() + "-" + attempt;
        Path dir = work.resolve(PHASE + "-" + attempt);
        Path dataDir = dir.resolve("data").toAbsolutePath();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("jaglets.name", name);
        properties.put("jaglets.home", work.resolve("home").toString());
        properties.put("jaglets.data.dir", dataDir.toString());
        properties.put("felix.fileinstall.dir", work.resolve("deploy").toString());
        properties.put("org.osgi.framework.storage", dir.resolve("framework").toString());
        properties.put("gosh.args", "--nointeractive");
        properties.put("org.osgi.service.http.port", String.valueOf(port));
        properties.put("org.apache.felix.http.host", address.getHostString());
        properties.put("jaglets.mesh.multicast", "false"); // alone, as every benchmark host
        properties.put("jaglets.pool.size", String.valueOf(POOL_SIZE));
        properties.put("jaglets.child.heap", options.manyHeap());
        host.put("properties", properties);
        host.put("url", HttpBench.url(address));
        System.out.println("host '" + PHASE + "': " + HttpBench.url(address) + ", measured from the driver over HTTP");
        HttpSettings settings = settings();
        try (HostProcess process = HostProcess.start(PHASE, java, options.benchJar(), properties,
                logs.resolve(PHASE + ".log"), BIND_FAILED)) {
            running.accept(process);
            Map<String, Object> health;
            try {
                health = HttpBench.awaitHost(address, name, START_TIMEOUT, () -> process.watchedMatch() != null
                        ? "Jetty could not bind port " + port
                        : process.alive() ? null : "the host exited with code " + process.exitCode());
            } catch (IOException e) {
                if (process.watchedMatch() != null && attempt < PORT_ATTEMPTS) {
                    System.out.println("  [" + PHASE + "] port " + port + " was taken; trying another");
                    return false;
                }
                errors.add(PHASE + ": " + e.getMessage() + "; see " + logs.resolve(PHASE + ".log"));
                return true;
            }
            host.put("start_s", Math.round(process.secondsSinceStart() * 1000) / 1000.0);
            host.put("health_at_start", health);
            HttpBench bench = new HttpBench(address, process.handle(), settings, MachineLoad::memAvailableMiB,
                    line -> System.out.println("  [" + PHASE + "] " + line));
            Duration limit = timeLimit();
            ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bench-http-watchdog");
                t.setDaemon(true);
                return t;
            });
            // past the limit the host is stopped: every request then fails at once and the figures end
            watchdog.schedule(() -> {
                errors.add(PHASE + ": stopped after " + limit.toMinutes() + " minutes");
                stopQuietly(process);
            }, limit.toMillis(), TimeUnit.MILLISECONDS);
            try {
                bench.run(POOL_SIZE);
            } finally {
                watchdog.shutdownNow();
            }
            figures.putAll(bench.figures());
            bench.errors().forEach(e -> errors.add(PHASE + ": " + e));
        } finally {
            running.accept(null);
        }
        return true;
    }

    /** The whole HTTP run's bound: the time the agents for GET /agents may take, and 20 minutes for the rest. */
    private Duration timeLimit() {
        return Duration.ofMinutes(20L + options.httpCreateMinutes());
    }

    private static void stopQuietly(HostProcess process) {
        try {
            process.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

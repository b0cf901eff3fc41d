package jaglets.bench.driver;

import jaglets.bench.report.Json;
import jaglets.bench.report.MachineLoad;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code ./jaglets bench}: starts benchmark hosts ({@code java -jar bench.jar}) one after the
 * other with the settings each figure needs, collects their figures, prints them beside the
 * targets and writes {@code runtime.json}, {@code http.json}, {@code mesh.json} and
 * {@code move.json}. Plain Java: it needs no framework.
 *
 * <p>Hosts: {@code host} (pool 2: create warm, lifecycle, round trip, memory), {@code cold}
 * (pool 0: create cold), {@code inactive-seed} then {@code inactive-start} (one record copied
 * many times, then a fresh host over them), {@code http} (an ordinary host measured from this
 * process over HTTP, {@link HttpPhase}), the {@code mesh-*} hosts ({@link MeshPhase}),
 * {@code move-a} and {@code move-b} (two ordinary hosts agents move between, driven from this
 * process, {@link MovePhase}) and {@code many} (many agents, smaller child heap).
 * All share one temporary jaglets home, so the child class-data archive is recorded once.
 */
public final class BenchDriver {
    private static final String SEED_ID = "bench-seed";
    private static final String INACTIVE_PREFIX = "idle-";
    private static final Pattern STARTED = Pattern.compile("host '[^']*' started with (\\d+) inactive agent\\(s\\)");

    private final BenchOptions options;
    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final Map<String, Object> hosts = new LinkedHashMap<>();
    private final List<Object> errors = new ArrayList<>();
    private Path work;
    private volatile HostProcess running;
    private HttpPhase http;
    private volatile MovePhase move;
    private volatile MeshPhase mesh;

    BenchDriver(BenchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, ownFolder());
        } catch (IllegalArgumentException e) {
            System.err.println("jaglets bench: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (!Files.isRegularFile(options.benchJar())) {
            System.err.println("jaglets bench: " + options.benchJar() + " is missing; build it with "
                    + "`mvn -B -DskipTests verify` at the project root");
            System.exit(2);
        }
        System.exit(new BenchDriver(options).run());
    }

    /** bench/target: the folder of this jar, or of target/classes when run from an IDE. */
    private static Path ownFolder() throws URISyntaxException {
        return Path.of(BenchDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    }

    int run() throws IOException, InterruptedException {
        Files.createDirectories(options.workBase());
        work = Files.createTempDirectory(options.workBase(), "jaglets-bench-");
        Files.createDirectories(work.resolve("deploy"));
        Runtime.getRuntime().addShutdownHook(new Thread(this::cleanUp, "bench-cleanup"));
        long pressureBefore = MachineLoad.cpuPressureMicros();
        Map<String, Object> machine = Machine.facts();
        machine.put("durable_write_in_work_dir", DiskProbe.durableWrite(work));
        long begin = System.nanoTime();
        System.out.println("jaglets bench: " + String.join(", ", options.figures()) + " on " + machine.get("cpus")
                + " cpus, load " + machine.get("load_average") + ", java " + Runtime.version() + "; host logs in "
                + logs());
        try {
            if (options.runs("create") || options.runs("lifecycle") || options.runs("roundtrip")
                    || options.runs("memory")) {
                runMainHost();
            }
            if (options.runs("create")) {
                runColdHost();
            }
            if (options.runs("inactive")) {
                runInactive();
            }
            if (options.runsHttp()) {
                runHttp();
            }
            if (options.runs(MeshPhase.PHASE)) {
                mesh = new MeshPhase(options, java, work, logs());
                mesh.run();
            }
            if (options.runsMove()) {
                runMove();
            }
            if (options.runs("many")) {
                runMany();
            }
        } finally {
            long nanos = System.nanoTime() - begin;
            long pressureAfter = MachineLoad.cpuPressureMicros();
            Long pressure = pressureBefore < 0 || pressureAfter < 0 ? null
                    : Math.round((pressureAfter - pressureBefore) * 1000.0 / nanos * 100);
            report(machine, nanos, pressure);
        }
        return errors.isEmpty() && (http == null || http.errors().isEmpty())
                && (move == null || move.errors().isEmpty()) && (mesh == null || mesh.errors().isEmpty()) ? 0 : 1;
    }

    /** Writes runtime.json, http.json, mesh.json and move.json for the figures that ran and prints their tables. */
    private void report(Map<String, Object> machine, long nanos, Long cpuPressure) throws IOException {
        Files.createDirectories(options.results());
        List<Path> written = new ArrayList<>();
        if (options.runsHostFigures()) {
            Report report = new Report(figures, options);
            Map<String, Object> document = document(machine, nanos, cpuPressure);
            document.put("settings", settings());
            document.put("hosts", hosts);
            document.put("figures", figures);
            document.put("targets", report.rows().stream().map(Report.Row::toJson).toList());
            document.put("errors", errors);
            written.add(write("runtime.json", document));
            System.out.println();
            System.out.print(report.table());
        }
        if (http != null) {
            Map<String, Object> document = document(machine, nanos, cpuPressure);
            document.putAll(http.report());
            written.add(write("http.json", document));
            System.out.println();
            System.out.print(new HttpReport(http.figures(), options).table());
            System.out.println(http.loadLine());
        }
        if (mesh != null) {
            Map<String, Object> document = document(machine, nanos, cpuPressure);
            document.putAll(mesh.report());
            written.add(write("mesh.json", document));
            System.out.println();
            System.out.print(new MeshReport(mesh.figures()).table());
        }
        if (move != null) {
            Map<String, Object> document = document(machine, nanos, cpuPressure);
            document.putAll(move.report());
            written.add(write("move.json", document));
            System.out.println();
            System.out.print(new MoveReport(move.figures()).table());
            System.out.println(move.loadLine());
        }
        System.out.println();
        System.out.println("machine: " + machine.get("cpus") + " cpus; load average " + machine.get("load_average")
                + " at start, " + MachineLoad.loadAverage() + " at end; CPU pressure " + cpuPressure
                + "% during the run (time some task waited for a CPU); one durable write "
                + Report.ms(durableP50(machine)) + " (p50) in the work folder");
        if (!options.runs("many") && options.runsHostFigures()) {
            System.out.println("the " + options.manyAgents() + "-agent figure was not measured (it is not in the "
                    + "default run): ./jaglets bench --only many, or --all");
        }
        if (options.runs("http") && !options.runs("http-many")) {
            System.out.println("GET /agents with " + options.manyAgents() + " agents was not measured (it is not in "
                    + "the default run): ./jaglets bench --only http-many, or --all");
        }
        if (!options.runs("move") && options.runsHostFigures()) {
            System.out.println("moves between two hosts were not measured (they are not in the default run): "
                    + "./jaglets bench --only move, or --all");
        }
        errors.forEach(e -> System.out.println("error: " + e));
        if (http != null) {
            http.errors().forEach(e -> System.out.println("error: " + e));
        }
        if (mesh != null) {
            mesh.errors().forEach(e -> System.out.println("error: " + e));
        }
        if (move != null) {
            move.errors().forEach(e -> System.out.println("error: " + e));
        }
        System.out.println("figures written to " + written.stream().map(Path::toString)
                .collect(Collectors.joining(", ")) + " (" + Math.round(nanos / 1e8) / 10.0
                + " s in all)");
    }

    private Map<String, Object> document(Map<String, Object> machine, long nanos, Long cpuPressure) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("generated_at", Instant.now().toString());
        document.put("total_s", Math.round(nanos / 1e8) / 10.0);
        document.put("machine", machine);
        document.put("load_average_at_end", MachineLoad.loadAverage());
        document.put("cpu_pressure_pct", cpuPressure);
        return document;
    }

    private Path write(String name, Map<String, Object> document) throws IOException {
        Path json = options.results().resolve(name);
        Files.writeString(json, Json.write(document));
        return json;
    }

    /** The HTTP figures: a host measured from this process over loopback sockets. */
    private void runHttp() throws IOException, InterruptedException {
        http = new HttpPhase(options, java, work, logs(), host -> running = host);
        try {
            http.run();
        } catch (IOException e) {
            http.errors().add(HttpPhase.PHASE + ": " + e);
        }
    }

    /** The move figures: two hosts, agents moved between them from this process. */
    private void runMove() throws IOException, InterruptedException {
        move = new MovePhase(options, java, work, logs());
        try {
            move.run();
        } catch (IOException e) {
            move.errors().add(MovePhase.PHASE + ": " + e);
        }
    }

    private void runMainHost() throws IOException, InterruptedException {
        List<String> scenarios = new ArrayList<>();
        if (options.runs("create")) {
            scenarios.add("create");
        }
        if (options.runs("lifecycle")) {
            scenarios.add("lifecycle");
        }
        if (options.runs("roundtrip")) {
            scenarios.add("roundtrip");
        }
        if (options.runs("memory")) {
            scenarios.add("active");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("jaglets.pool.size", "2");
        properties.put("jaglets.bench.iterations", String.valueOf(options.iterations()));
        properties.put("jaglets.bench.calls", String.valueOf(options.calls()));
        properties.put("jaglets.bench.calls.warmup", String.valueOf(options.callWarmup()));
        properties.put("jaglets.bench.agents", String.valueOf(options.agents()));
        properties.put("jaglets.bench.concurrency", String.valueOf(options.concurrency()));
        runHost("host", "host", scenarios, properties, Duration.ofMinutes(20), null);
    }

    private void runColdHost() throws IOException, InterruptedException {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("jaglets.pool.size", "0");
        properties.put("jaglets.bench.iterations", String.valueOf(options.coldIterations()));
        runHost("cold", "cold", List.of("create"), properties, Duration.ofMinutes(10), null);
    }

    private void runMany() throws IOException, InterruptedException {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("jaglets.pool.size", "2");
        properties.put("jaglets.child.heap", options.manyHeap());
        properties.put("jaglets.bench.agents", String.valueOf(options.manyAgents()));
        properties.put("jaglets.bench.concurrency", String.valueOf(options.concurrency()));
        runHost("many", "many", List.of("active"), properties, Duration.ofMinutes(20), null);
    }

    /**
     * One inactive agent is stored by a first host; its record is copied under new ids; a fresh
     * host starts over them (timed up to its start-up log line) and two of them get a message.
     */
    private void runInactive() throws IOException, InterruptedException {
        Map<String, String> seed = new LinkedHashMap<>();
        seed.put("jaglets.pool.size", "2");
        seed.put("jaglets.bench.seed.id", SEED_ID);
        if (runHost("inactive-seed", "inactive", List.of("seed"), seed, Duration.ofMinutes(3), null) == null) {
            return;
        }
        Path records = work.resolve("inactive").resolve("data").resolve("inactive");
        int count = options.inactiveRecords();
        System.out.println("  [inactive] writing " + count + " records");
        double generateSeconds = InactiveRecords.generate(records, SEED_ID, INACTIVE_PREFIX, count);
        System.out.println("  [inactive] " + count + " records written in " + Math.round(generateSeconds * 10) / 10.0
                + " s");
        Random random = new Random();
        int first = random.nextInt(count);
        int second = (first + 1 + random.nextInt(count - 1 > 0 ? count - 1 : 1)) % count;
        Map<String, String> probe = new LinkedHashMap<>();
        probe.put("jaglets.pool.size", "2");
        probe.put("jaglets.bench.probe.ids", InactiveRecords.id(INACTIVE_PREFIX, first) + ","
                + InactiveRecords.id(INACTIVE_PREFIX, second));
        Map<String, Object> inactive = new LinkedHashMap<>();
        inactive.put("records", count);
        if (hosts.get("inactive-seed") instanceof Map<?, ?> seedHost) {
            inactive.put("host_start_empty_s", seedHost.get("start_s"));
        }
        inactive.put("generate_s", Math.round(generateSeconds * 100) / 100.0);
        HostProcess[] started = new HostProcess[1];
        Map<String, Object> result = runHost("inactive-start", "inactive", List.of("probe"), probe,
                Duration.ofMinutes(5), host -> started[0] = host);
        if (started[0] != null) {
            double seconds = started[0].secondsToWatchedLine();
            Matcher line = started[0].watchedMatch();
            inactive.put("host_start_s", seconds < 0 ? null : Math.round(seconds * 1000) / 1000.0);
            inactive.put("logged_inactive", line == null ? null : Long.parseLong(line.group(1)));
        }
        if (result != null && figures.remove("inactive_probe") instanceof Map<?, ?> answers) {
            answers.forEach((key, value) -> inactive.put(String.valueOf(key), value));
        }
        figures.put("inactive", inactive);
    }

    /**
     * Runs one benchmark host to its end and merges its figures. Returns its result, or null if
     * it wrote none.
     */
    private Map<String, Object> runHost(String phase, String dataName, List<String> scenarios,
                                        Map<String, String> extra, Duration timeout,
                                        java.util.function.Consumer<HostProcess> started)
            throws IOException, InterruptedException {
        Path dir = work.resolve(phase);
        Path out = dir.resolve("result.json");
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("jaglets.name", "bench-" + dataName);
        properties.put("jaglets.home", work.resolve("home").toString());
        properties.put("jaglets.data.dir", work.resolve(dataName).resolve("data").toString());
        properties.put("felix.fileinstall.dir", work.resolve("deploy").toString());
        properties.put("org.osgi.framework.storage", dir.resolve("framework").toString());
        properties.put("gosh.args", "--nointeractive");
        // every host serves the HTTP API; on a port of its own, so it never meets another host's
        properties.put("org.osgi.service.http.port", String.valueOf(HostProcess.freeLoopbackPort()));
        properties.put("org.apache.felix.http.host", "127.0.0.1");
        // no beacons: a benchmark host would otherwise mesh with any other host on this machine
        properties.put("jaglets.mesh.multicast", "false");
        properties.put("jaglets.bench.run", String.join(",", scenarios));
        properties.put("jaglets.bench.out", out.toString());
        properties.putAll(extra);
        System.out.println("host '" + phase + "': " + String.join(", ", scenarios));
        long begin = System.nanoTime();
        long pressureBefore = MachineLoad.cpuPressureMicros();
        boolean exited;
        double startSeconds;
        try (HostProcess host = HostProcess.start(phase, java, options.benchJar(), properties,
                logs().resolve(phase + ".log"), STARTED)) {
            running = host;
            if (started != null) {
                started.accept(host);
            }
            exited = host.awaitExit(timeout);
            startSeconds = host.secondsToWatchedLine();
        } finally {
            running = null;
        }
        long wallNanos = System.nanoTime() - begin;
        long pressureAfter = MachineLoad.cpuPressureMicros();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("scenarios", scenarios);
        facts.put("properties", properties);
        facts.put("wall_s", Math.round(wallNanos / 1e8) / 10.0);
        facts.put("start_s", startSeconds < 0 ? null : Math.round(startSeconds * 1000) / 1000.0);
        // the share of the time some task on the machine waited for a CPU: how contended it was
        Long pressure = pressureBefore < 0 || pressureAfter < 0 ? null
                : Math.round((pressureAfter - pressureBefore) * 1000.0 / wallNanos * 100);
        facts.put("cpu_pressure_pct", pressure);
        hosts.put(phase, facts);
        System.out.println("host '" + phase + "' done in " + facts.get("wall_s") + " s"
                + (pressure == null ? "" : "; CPU pressure " + pressure + "% (time some task waited for a CPU)"));
        if (!exited) {
            errors.add(phase + ": stopped after " + timeout.toMinutes() + " minutes");
        }
        if (!Files.isRegularFile(out)) {
            errors.add(phase + ": wrote no result; see " + logs().resolve(phase + ".log"));
            return null;
        }
        Map<String, Object> result = Json.parseObject(Files.readString(out));
        facts.put("host", result.get("host"));
        figures.putAll(figuresOf(result));
        if (result.get("errors") instanceof List<?> failures) {
            failures.forEach(f -> errors.add(phase + ": " + f));
        }
        return result;
    }

    private static Double durableP50(Map<String, Object> machine) {
        return machine.get("durable_write_in_work_dir") instanceof Map<?, ?> write
                && write.get("p50_ms") instanceof Number p50 ? p50.doubleValue() : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> figuresOf(Map<String, Object> result) {
        return result.get("figures") instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private Path logs() {
        return options.results().resolve("logs");
    }

    private Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("figures", List.copyOf(options.figures()));
        settings.put("iterations", options.iterations());
        settings.put("cold_iterations", options.coldIterations());
        settings.put("warmup_iterations", 3);
        settings.put("round_trip_calls", options.calls());
        settings.put("round_trip_warmup_calls", options.callWarmup());
        settings.put("memory_agents", options.agents());
        settings.put("many_agents", options.manyAgents());
        settings.put("many_child_heap", options.manyHeap());
        settings.put("default_child_heap", "256m");
        settings.put("inactive_records", options.inactiveRecords());
        settings.put("create_concurrency", options.concurrency());
        settings.put("bench_jar", options.benchJar().toString());
        return settings;
    }

    /** Ends a host still running (Ctrl-C) and removes the temporary folder. */
    private void cleanUp() {
        HostProcess host = running;
        MeshPhase meshHosts = mesh;
        try {
            if (host != null) {
                host.stop();
            }
            if (meshHosts != null) {
                meshHosts.stopAll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        MovePhase moving = move;
        if (moving != null) {
            moving.stopHosts();
        }
        if (work == null || options.keep()) {
            if (work != null) {
                System.out.println("kept " + work);
            }
            return;
        }
        try (Stream<Path> paths = Files.walk(work)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("jaglets bench: could not remove " + work + ": " + e);
        }
    }
}

package jaglets.bench.driver;

import jaglets.bench.http.HttpBench;
import jaglets.bench.report.MachineLoad;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/**
 * The move figures: two ordinary benchmark hosts, A and B ({@code bench.jar} without
 * {@code jaglets.bench.run}), each on a free loopback port with a warm pool, and agents moved
 * between them from this process with {@code jaglets.http.HostClient} (class
 * {@code jaglets.bench.move.MoveBench}). The driver runs on a bare JDK, so the client and its
 * libraries (Jackson, the jaglets API, protocol and runtime records) are taken from the jars
 * bench.jar embeds, the very ones the hosts run, and loaded in a class loader of their own.
 */
final class MovePhase {
    static final String PHASE = "move";
    static final int POOL_SIZE = 2;
    /** The children's heap: the default; an agent with a 16 MiB state needs it (64m is too small). */
    static final String CHILD_HEAP = "256m";
    /** A fresh agent after this many moves or clones: EchoJaglet's hook list grows with each one. */
    static final int RENEW_AFTER = 8;
    /** Dispatches before the first figure, not among its samples, so that the hosts' own code is compiled. */
    static int hostWarmupMoves(boolean quick) {
        return quick ? 10 : 60;
    }

    private static final String CLIENT_CLASS = "jaglets.bench.move.MoveBench";
    /** The jars of bench.jar (under {@code jar/}) that HostClient needs, by name prefix. */
    private static final List<String> CLIENT_JARS = List.of("jaglets.api-", "jaglets.protocol-",
            "jaglets.runtime-", "jaglets.mesh-", "jaglets.http-", "jackson-", "slf4j-api-");
    /** How long a host may take to answer its first {@code GET /health} (and A to record the archive). */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** The whole phase's bound; past it both hosts are stopped, so every request fails at once. */
    private static final Duration TIME_LIMIT = Duration.ofMinutes(30);
    /** Jetty could not listen: the port was taken between choosing it and binding it. */
    private static final Pattern BIND_FAILED = Pattern.compile("Failed to start Connector|Failed to bind");
    private static final int PORT_ATTEMPTS = 3;

    /** One state size: the figures' key suffix, its label, the payload, measured and unmeasured moves. */
    record Size(String key, String label, int bytes, int samples, int warmup) {
        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("key", key);
            json.put("label", label);
            json.put("bytes", bytes);
            json.put("samples", samples);
            json.put("warmup", warmup);
            return json;
        }
    }

    private final BenchOptions options;
    private final Path java;
    private final Path work;
    private final Path logs;
    private final Map<String, Object> figures = new LinkedHashMap<>();
    /** Also written by the watchdog thread. */
    private final List<Object> errors = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Object> hosts = new LinkedHashMap<>();
    private final Map<String, Object> phase = new LinkedHashMap<>();
    /** The hosts running now, for Ctrl-C. */
    private final List<HostProcess> running = new CopyOnWriteArrayList<>();

    MovePhase(BenchOptions options, Path java, Path work, Path logs) {
        this.options = options;
        this.java = java;
        this.work = work;
        this.logs = logs;
    }

    static List<Size> sizes(boolean quick) {
        return quick
                ? List.of(new Size("1kib", "1 KiB", 1024, 5, 2), new Size("1mib", "1 MiB", 1 << 20, 3, 1),
                        new Size("16mib", "16 MiB", 16 << 20, 2, 1))
                : List.of(new Size("1kib", "1 KiB", 1024, 30, 5), new Size("1mib", "1 MiB", 1 << 20, 15, 3),
                        new Size("16mib", "16 MiB", 16 << 20, 8, 2));
    }

    Map<String, Object> figures() {
        return figures;
    }

    List<Object> errors() {
        return errors;
    }

    /** What move.json holds beside the machine: settings, the hosts, figures, targets and errors. */
    Map<String, Object> report() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("sizes", sizes(options.quick()).stream().map(Size::toJson).toList());
        settings.put("pool_size", POOL_SIZE);
        settings.put("child_heap", CHILD_HEAP);
        settings.put("renew_agent_after", RENEW_AFTER);
        settings.put("host_warmup_moves", hostWarmupMoves(options.quick()));
        settings.put("ticket", "TransferTicket.to(url): 10 s per step, no retries, arrival mode ACTIVATE");
        settings.put("client", "jaglets.http.HostClient (java.net.http, HTTP/1.1 keep-alive), in the driver");
        settings.put("bench_jar", options.benchJar().toString());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("settings", settings);
        report.put("phase", phase);
        report.put("hosts", hosts);
        report.put("figures", figures);
        report.put("targets", new MoveReport(figures).rows().stream().map(TargetRow::toJson).toList());
        report.put("errors", errors);
        return report;
    }

    /** How busy the machine was while the two hosts ran. */
    String loadLine() {
        return "move hosts: load average " + phase.get("load_average_at_start") + " at their start, "
                + phase.get("load_average_at_end") + " at their end; CPU pressure " + phase.get("cpu_pressure_pct")
                + "% while they ran (time some task waited for a CPU)";
    }

    void run() throws IOException, InterruptedException {
        long begin = System.nanoTime();
        long pressureBefore = MachineLoad.cpuPressureMicros();
        phase.put("load_average_at_start", MachineLoad.loadAverage());
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-move-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.schedule(() -> {
            errors.add(PHASE + ": stopped after " + TIME_LIMIT.toMinutes() + " minutes");
            stopHosts();
        }, TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        try (URLClassLoader clientLoader = clientLoader()) {
            Started a = start("a", null);
            if (a == null) {
                return;
            }
            HostProcess hostA = a.process();
            try (hostA) {
                // B starts once A has recorded the child archive both share, so it is recorded once
                if (!awaitArchive(a)) {
                    return;
                }
                // B joins A's mesh, as the hosts of one deployment do: a host the mesh heard from
                // just now needs no health call before a move to it
                Started b = start("b", a.url());
                if (b == null) {
                    return;
                }
                HostProcess hostB = b.process();
                try (hostB) {
                    measure(clientLoader, a.url(), b.url());
                }
            } finally {
                running.clear();
            }
        } finally {
            watchdog.shutdownNow();
            long wall = System.nanoTime() - begin;
            phase.put("wall_s", Math.round(wall / 1e8) / 10.0);
            phase.put("load_average_at_end", MachineLoad.loadAverage());
            phase.put("cpu_pressure_pct", MachineLoad.pressurePercent(pressureBefore,
                    MachineLoad.cpuPressureMicros(), wall));
            System.out.println("hosts '" + PHASE + "' done in " + phase.get("wall_s") + " s; CPU pressure "
                    + phase.get("cpu_pressure_pct") + "% (time some task waited for a CPU)");
        }
    }

    /** Ends the hosts still running (Ctrl-C, or past the time limit). */
    void stopHosts() {
        for (HostProcess host : running) {
            try {
                host.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void measure(URLClassLoader loader, String urlA, String urlB) throws InterruptedException {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("host_a", urlA);
        settings.put("host_b", urlB);
        settings.put("pool_size", POOL_SIZE);
        settings.put("renew_after", RENEW_AFTER);
        settings.put("host_warmup_moves", hostWarmupMoves(options.quick()));
        settings.put("client_timeout_s", 60);
        settings.put("sizes", sizes(options.quick()).stream().map(Size::toJson).toList());
        Consumer<String> progress = line -> System.out.println("  [" + PHASE + "] " + line);
        Object result;
        try {
            result = Class.forName(CLIENT_CLASS, true, loader).getMethod("run", Map.class, Consumer.class)
                    .invoke(null, settings, progress);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            errors.add(PHASE + ": " + e.getCause());
            return;
        } catch (ReflectiveOperationException | LinkageError e) {
            errors.add(PHASE + ": the client could not be loaded from " + options.benchJar() + ": " + e);
            return;
        }
        Map<?, ?> map = (Map<?, ?>) result;
        if (map.get("figures") instanceof Map<?, ?> measured) {
            measured.forEach((key, value) -> figures.put(String.valueOf(key), value));
        }
        if (map.get("errors") instanceof List<?> failures) {
            failures.forEach(f -> errors.add(PHASE + ": " + f));
        }
    }

    /** A host that answers its health as itself. */
    private record Started(HostProcess process, InetSocketAddress address, String name, String url) {
    }

    /**
     * Starts host {@code label} ("a" or "b") on a free port, trying others if Jetty cannot bind it,
     * with {@code peer} (if not null) as its mesh seed; null if it failed.
     */
    private Started start(String label, String peer) throws IOException, InterruptedException {
        String phaseName = PHASE + "-" + label;
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            int port = HostProcess.freeLoopbackPort();
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            // a name no other host on this machine has, to tell this host from whatever else might answer on the port
            String name = "bench-move-" + label + "-" + ProcessHandle.current().pid() + "-" + attempt;
            Path dir = work.resolve(phaseName + "-" + attempt);
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("jaglets.name", name);
            properties.put("jaglets.home", work.resolve("home").toString());
            properties.put("jaglets.data.dir", dir.resolve("data").toAbsolutePath().toString());
            properties.put("felix.fileinstall.dir", work.resolve("deploy").toString());
            properties.put("org.osgi.framework.storage", dir.resolve("framework").toString());
            properties.put("gosh.args", "--nointeractive");
            properties.put("org.osgi.service.http.port", String.valueOf(port));
            properties.put("org.apache.felix.http.host", address.getHostString());
            properties.put("jaglets.pool.size", String.valueOf(POOL_SIZE));
            properties.put("jaglets.child.heap", CHILD_HEAP);
            properties.put("jaglets.mesh.multicast", "false"); // no beacons, as every benchmark host
            if (peer != null) {
                properties.put("jaglets.mesh.peers", peer);
            }
            String url = HttpBench.url(address);
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("properties", properties);
            facts.put("url", url);
            hosts.put(label, facts);
            System.out.println("host '" + phaseName + "': " + url + ", measured from the driver with HostClient");
            Path log = logs.resolve(phaseName + ".log");
            HostProcess process = HostProcess.start(phaseName, java, options.benchJar(), properties, log, BIND_FAILED);
            running.add(process);
            try {
                Map<String, Object> health = HttpBench.awaitHost(address, name, START_TIMEOUT,
                        () -> process.watchedMatch() != null ? "Jetty could not bind port " + port
                                : process.alive() ? null : "the host exited with code " + process.exitCode());
                facts.put("pid", process.pid());
                facts.put("start_s", Math.round(process.secondsSinceStart() * 1000) / 1000.0);
                facts.put("health_at_start", health);
                return new Started(process, address, name, url);
            } catch (IOException e) {
                running.remove(process);
                process.stop();
                if (process.watchedMatch() != null && attempt < PORT_ATTEMPTS) {
                    System.out.println("  [" + phaseName + "] port " + port + " was taken; trying another");
                    continue;
                }
                errors.add(phaseName + ": " + e.getMessage() + "; see " + log);
                return null;
            }
        }
        return null;
    }

    /** Waits until the host says its children start from the recorded class-data archive. */
    private boolean awaitArchive(Started host) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Map<String, Object> health = HttpBench.awaitHost(host.address(), host.name(), Duration.ofSeconds(10),
                        () -> host.process().alive() ? null : "the host exited with code " + host.process().exitCode());
                if (Boolean.TRUE.equals(health.get("child_archive"))) {
                    return true;
                }
            } catch (IOException e) {
                errors.add(PHASE + "-a: " + e.getMessage());
                return false;
            }
            Thread.sleep(200);
        }
        errors.add(PHASE + "-a: recorded no child class-data archive within " + START_TIMEOUT);
        return false;
    }

    /**
     * A class loader with this module's classes and the jars HostClient needs, copied out of
     * bench.jar; the platform class loader is its parent, so nothing of the driver's class path leaks in.
     */
    private URLClassLoader clientLoader() throws IOException {
        Path dir = Files.createDirectories(work.resolve("move-client"));
        List<URL> urls = new ArrayList<>();
        urls.add(ownLocation());
        List<String> missing = new ArrayList<>(CLIENT_JARS);
        try (JarFile benchJar = new JarFile(options.benchJar().toFile())) {
            for (JarEntry entry : Collections.list(benchJar.entries())) {
                String name = entry.getName();
                if (!name.startsWith("jar/") || !name.endsWith(".jar")) {
                    continue;
                }
                String file = name.substring("jar/".length());
                String prefix = CLIENT_JARS.stream().filter(file::startsWith).findFirst().orElse(null);
                if (prefix == null) {
                    continue;
                }
                Path target = dir.resolve(file);
                try (InputStream in = benchJar.getInputStream(entry)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                urls.add(target.toUri().toURL());
                missing.remove(prefix);
            }
        }
        if (!missing.isEmpty()) {
            throw new IOException(options.benchJar() + " holds no " + String.join(", ", missing)
                    + " jar; rebuild it with `mvn -B -DskipTests verify`");
        }
        return new URLClassLoader("bench-move-client", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    /** jaglets-bench.jar, or target/classes when run from an IDE. */
    private static URL ownLocation() throws MalformedURLException {
        try {
            return Path.of(MovePhase.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toUri()
                    .toURL();
        } catch (URISyntaxException e) {
            throw new MalformedURLException(e.getMessage());
        }
    }
}

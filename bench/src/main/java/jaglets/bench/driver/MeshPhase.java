package jaglets.bench.driver;

import jaglets.bench.http.HttpBench;
import jaglets.bench.report.Json;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The mesh figures: a simulated mesh of many hosts in one JVM (its own, with the mesh bundle's jar
 * from bench.jar on the class path), then real hosts ({@code bench.jar} as ordinary hosts, pool 0,
 * default gossip settings, a mesh version of this run's own) watched through {@code GET /hosts}:
 * three joined through one seed, one of them killed with SIGKILL, and three that find each other
 * by multicast beacons alone.
 */
final class MeshPhase {
    static final String PHASE = "mesh";
    /** The documented defaults the real hosts run with. */
    static final long GOSSIP_MS = 1000;
    static final long OFFLINE_MS = 10_000;
    static final int FANOUT = 3;
    private static final String FROM = "the moment the last host to start logged that its mesh started";
    /** How often the hosts' views are read. */
    static final Duration POLL = Duration.ofMillis(20);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** The log line of a host whose mesh has started: its first gossip round is under way. */
    private static final Pattern MESH_STARTED = Pattern.compile("MeshComponent - mesh on ");

    private final BenchOptions options;
    private final Path java;
    private final Path work;
    private final Path logs;
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final List<Object> errors = new ArrayList<>();
    private final String version = "bench-mesh-" + ProcessHandle.current().pid();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Also read by the driver's shutdown hook (Ctrl-C). */
    private final List<HostProcess> started = new CopyOnWriteArrayList<>();

    MeshPhase(BenchOptions options, Path java, Path work, Path logs) {
        this.options = options;
        this.java = java;
        this.work = work;
        this.logs = logs;
    }

    Map<String, Object> figures() {
        return figures;
    }

    List<Object> errors() {
        return errors;
    }

    /** What mesh.json holds beside the machine: settings, figures, targets and errors. */
    Map<String, Object> report() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("simulated_hosts", options.meshHosts());
        settings.put("gossip_ms", GOSSIP_MS);
        settings.put("offline_ms", OFFLINE_MS);
        settings.put("fanout", FANOUT);
        settings.put("real_hosts", "bench.jar as ordinary hosts, pool 0, on loopback; documented mesh defaults");
        settings.put("bench_jar", options.benchJar().toString());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("settings", settings);
        report.put("figures", figures);
        report.put("targets", new MeshReport(figures).rows().stream().map(TargetRow::toJson).toList());
        report.put("errors", errors);
        return report;
    }

    void run() throws InterruptedException {
        try {
            simulate();
        } catch (IOException e) {
            errors.add(PHASE + " simulation: " + e.getMessage());
        }
        try {
            seededHostsAndAKill();
        } catch (IOException e) {
            errors.add(PHASE + " seeded hosts: " + e.getMessage());
        } finally {
            stopAll();
        }
        try {
            beaconHosts();
        } catch (IOException e) {
            errors.add(PHASE + " beacon hosts: " + e.getMessage());
        } finally {
            stopAll();
        }
    }

    /** {@link jaglets.bench.mesh.MeshSimulation} in a JVM of its own, with the mesh and API jars of bench.jar. */
    private void simulate() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(work.resolve("mesh-simulation"));
        Files.createDirectories(logs);
        List<String> classPath = new ArrayList<>();
        classPath.add(ownJar().toString());
        try (ZipFile benchJar = new ZipFile(options.benchJar().toFile())) {
            for (String bundle : List.of("jaglets.mesh", "jaglets.api")) {
                ZipEntry entry = benchJar.stream().filter(e -> e.getName().startsWith("jar/" + bundle + "-"))
                        .findFirst().orElseThrow(() -> new IOException(bundle + " is not in " + options.benchJar()));
                Path jar = dir.resolve(bundle + ".jar");
                try (InputStream in = benchJar.getInputStream(entry)) {
                    Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
                }
                classPath.add(jar.toString());
            }
        }
        Path out = dir.resolve("result.json");
        int hosts = options.meshHosts();
        System.out.println("mesh: " + hosts + " simulated hosts in one JVM, in-memory transport, one seed, gossip "
                + GOSSIP_MS + " ms, fan-out " + FANOUT);
        Process simulation = new ProcessBuilder(java.toString(), "-cp", String.join(File.pathSeparator,
                classPath), "jaglets.bench.mesh.MeshSimulation", String.valueOf(hosts), String.valueOf(FANOUT),
                String.valueOf(GOSSIP_MS), String.valueOf(OFFLINE_MS), "60", out.toString())
                .redirectErrorStream(true).redirectOutput(logs.resolve("mesh-simulation.log").toFile()).start();
        if (!simulation.waitFor(3, TimeUnit.MINUTES)) {
            simulation.destroyForcibly();
            throw new IOException("the simulation did not end within 3 minutes");
        }
        if (simulation.exitValue() != 0 || !Files.isRegularFile(out)) {
            throw new IOException("the simulation failed (exit " + simulation.exitValue() + "); see "
                    + logs.resolve("mesh-simulation.log"));
        }
        Map<String, Object> result = Json.parseObject(Files.readString(out));
        figures.put("simulated", result);
        System.out.println("  [mesh] converged: " + result.get("converged") + " in " + result.get("converged_s")
                + " s, " + result.get("rounds_to_converge") + " rounds; at most " + result.get("max_sent_per_round")
                + " exchanges started by a host in one round");
    }

    private static Path ownJar() throws IOException {
        try {
            return Path.of(MeshPhase.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    /** Three hosts joined through the first: time until each sees the other two; then one killed. */
    private void seededHostsAndAKill() throws IOException, InterruptedException {
        System.out.println("mesh: 3 real hosts joined through one seed (multicast off), then one killed with SIGKILL");
        Map<String, String> none = Map.of();
        MeshHost seed = start("seed", none);
        awaitUp(seed);
        awaitArchive(seed); // so the other hosts boot without recording it, and nothing else loads the CPU
        Map<String, String> seeded = Map.of("jaglets.mesh.peers", seed.url());
        MeshHost second = start("second", seeded);
        MeshHost third = start("third", seeded);
        awaitUp(second);
        awaitUp(third);
        List<MeshHost> all = List.of(seed, second, third);
        Map<String, Object> joined = awaitEverySeesEvery(all, meshStarted(List.of(second, third)));
        joined.put("from", FROM);
        figures.put("seeded", joined);
        System.out.println("  [mesh] every host saw the other two after " + joined.get("all_s") + " s");

        third.process().kill();
        long killedAt = System.nanoTime();
        long killedAtMillis = System.currentTimeMillis();
        Map<String, Object> killed = new LinkedHashMap<>();
        Map<String, Object> each = new LinkedHashMap<>();
        double latest = 0;
        double quietest = Double.MAX_VALUE;
        for (MeshHost viewer : List.of(seed, second)) {
            double seconds = awaitOffline(viewer, third.name(), killedAt, Duration.ofMillis(OFFLINE_MS * 3));
            each.put(viewer.role(), seconds);
            latest = Math.max(latest, seconds);
            // offline comes one expiry after the last news of it, which came a little before the kill
            quietest = Math.min(quietest, (killedAtMillis - lastSeenMillis(viewer, third.name())) / 1000.0);
        }
        killed.put("all_s", latest);
        killed.put("hosts_s", each);
        killed.put("last_heard_before_kill_s", quietest);
        killed.put("offline_ms", OFFLINE_MS);
        killed.put("poll_ms", POLL.toMillis());
        figures.put("killed", killed);
        System.out.println("  [mesh] the killed host was shown offline by both others after " + latest + " s");
    }

    /** Three hosts without seeds, multicast on, on a group port of this run's own. */
    private void beaconHosts() throws IOException, InterruptedException {
        int port;
        try (DatagramSocket free = new DatagramSocket(0)) {
            port = free.getLocalPort();
        }
        System.out.println("mesh: 3 real hosts without seeds, found by multicast beacons on loopback (port " + port + ")");
        Map<String, String> beacons = Map.of("jaglets.mesh.multicast", "true", "jaglets.mesh.multicast.port",
                String.valueOf(port));
        List<MeshHost> all = new ArrayList<>();
        for (String role : List.of("beacon-1", "beacon-2", "beacon-3")) {
            all.add(start(role, beacons));
        }
        for (MeshHost host : all) {
            awaitUp(host);
        }
        Map<String, Object> found = awaitEverySeesEvery(all, meshStarted(all));
        found.put("from", FROM);
        figures.put("beacons", found);
        System.out.println("  [mesh] every host saw the other two after " + found.get("all_s") + " s");
    }

    /** One host of this phase, as {@code bench.jar} without scenarios runs it: an ordinary host. */
    private record MeshHost(String role, String name, String url, HostProcess process) {
    }

    private MeshHost start(String role, Map<String, String> extra) throws IOException {
        int port = HostProcess.freeLoopbackPort();
        String name = "bench-mesh-" + role;
        Path dir = work.resolve("mesh-" + role);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("jaglets.name", name);
        properties.put("jaglets.home", work.resolve("home").toString());
        properties.put("jaglets.data.dir", dir.resolve("data").toString());
        properties.put("felix.fileinstall.dir", work.resolve("deploy").toString());
        properties.put("org.osgi.framework.storage", dir.resolve("framework").toString());
        properties.put("gosh.args", "--nointeractive");
        properties.put("org.osgi.service.http.port", String.valueOf(port));
        properties.put("org.apache.felix.http.host", "127.0.0.1");
        properties.put("jaglets.pool.size", "0");
        properties.put("jaglets.mesh.version", version);
        properties.put("jaglets.mesh.multicast", "false");
        properties.putAll(extra);
        HostProcess process = HostProcess.start(PHASE + " " + role, java, options.benchJar(), properties,
                logs.resolve("mesh-" + role + ".log"), MESH_STARTED);
        started.add(process);
        return new MeshHost(role, name, "http://127.0.0.1:" + port, process);
    }

    private void awaitUp(MeshHost host) throws IOException, InterruptedException {
        URI uri = URI.create(host.url());
        HttpBench.awaitHost(new InetSocketAddress(uri.getHost(), uri.getPort()), host.name(), START_TIMEOUT,
                () -> host.process().alive() ? null : "host " + host.name() + " exited");
    }

    private void awaitArchive(MeshHost host) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Boolean.TRUE.equals(Json.parseObject(get(host, "/health")).get("child_archive"))) {
            if (System.nanoTime() > deadline) {
                throw new IOException(host.name() + " recorded no class-data archive within " + START_TIMEOUT);
            }
            Thread.sleep(100);
        }
    }

    /** When the last of {@code hosts} logged that its mesh started ({@link System#nanoTime()}). */
    private static long meshStarted(List<MeshHost> hosts) throws IOException {
        long latest = 0;
        for (MeshHost host : hosts) {
            long at = host.process().watchedAtNanos();
            if (at < 0) {
                throw new IOException(host.name() + " answered GET /health but never logged that its mesh started");
            }
            latest = Math.max(latest, at);
        }
        return latest;
    }

    /**
     * Seconds from {@code from} until each host showed every host online, and the largest of
     * them. Polling starts once every host answers, so a mesh that formed sooner is timed late.
     */
    private Map<String, Object> awaitEverySeesEvery(List<MeshHost> hosts, long from)
            throws IOException, InterruptedException {
        double firstPoll = seconds(System.nanoTime() - from);
        Set<String> names = new TreeSet<>(hosts.stream().map(MeshHost::name).toList());
        Map<String, Object> seen = new LinkedHashMap<>();
        long deadline = from + TimeUnit.SECONDS.toNanos(60);
        double latest = 0;
        while (seen.size() < hosts.size()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("not every host saw every other within 60 s; seen: " + seen);
            }
            for (MeshHost host : hosts) {
                if (!seen.containsKey(host.role()) && online(host).containsAll(names)) {
                    double seconds = seconds(System.nanoTime() - from);
                    seen.put(host.role(), seconds);
                    latest = Math.max(latest, seconds);
                }
            }
            Thread.sleep(POLL.toMillis());
        }
        Map<String, Object> figure = new LinkedHashMap<>();
        figure.put("all_s", latest);
        figure.put("hosts_s", seen);
        // no view can be read before every host answers: no figure is below this
        figure.put("first_poll_s", firstPoll);
        figure.put("gossip_ms", GOSSIP_MS);
        figure.put("poll_ms", POLL.toMillis());
        return figure;
    }

    private double awaitOffline(MeshHost viewer, String name, long since, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = since + timeout.toNanos();
        while (online(viewer).contains(name)) {
            if (System.nanoTime() > deadline) {
                throw new IOException(viewer.name() + " still showed " + name + " online " + timeout + " after its kill");
            }
            Thread.sleep(POLL.toMillis());
        }
        return seconds(System.nanoTime() - since);
    }

    /** When {@code viewer} last heard of host {@code name} (epoch milliseconds). */
    private long lastSeenMillis(MeshHost viewer, String name) throws IOException, InterruptedException {
        if (Json.parseObject(get(viewer, "/hosts")).get("hosts") instanceof List<?> hosts) {
            for (Object host : hosts) {
                if (host instanceof Map<?, ?> ref && name.equals(ref.get("name"))
                        && ref.get("last_seen") instanceof Number seconds) {
                    return Math.round(seconds.doubleValue() * 1000);
                }
            }
        }
        throw new IOException(viewer.name() + " does not list " + name);
    }

    /** The names {@code GET /hosts} of {@code viewer} shows online. */
    private Set<String> online(MeshHost viewer) throws IOException, InterruptedException {
        Set<String> names = new TreeSet<>();
        if (Json.parseObject(get(viewer, "/hosts")).get("hosts") instanceof List<?> hosts) {
            for (Object host : hosts) {
                if (host instanceof Map<?, ?> ref && Boolean.TRUE.equals(ref.get("online"))) {
                    names.add(String.valueOf(ref.get("name")));
                }
            }
        }
        return names;
    }

    private String get(MeshHost host, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(host.url() + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " of " + host.name() + " answered " + response.statusCode());
        }
        return response.body();
    }

    /** Stops every host this phase still runs. */
    void stopAll() throws InterruptedException {
        for (HostProcess process : started) {
            process.stop();
            started.remove(process);
        }
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e6) / 1000.0;
    }
}

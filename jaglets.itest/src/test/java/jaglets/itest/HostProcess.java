package jaglets.itest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real jaglets host process (the exported host jar), driven like an operator drives it:
 * Gogo commands on its standard input, answers read from its standard output. Its log
 * (standard error) goes to a file beside its data.
 */
final class HostProcess implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Path home;
    private final String name;
    private final Map<String, String> properties;
    private final Map<String, String> environment = new LinkedHashMap<>();
    /** What runs {@code java}, e.g. {@code ip netns exec NAME}; empty for this network. */
    private final List<String> commandPrefix = new ArrayList<>();
    private String bindHost = "127.0.0.1";
    private int httpPort = freePort();
    private Process process;
    private Writer stdin;
    private BlockingQueue<String> stdout;
    private int marker;

    HostProcess(Path home, String name, Map<String, String> properties) {
        this.home = home;
        this.name = name;
        this.properties = new LinkedHashMap<>(properties);
        // beacons would join the hosts of every test run on this machine into one mesh
        this.properties.putIfAbsent("jaglets.mesh.multicast", "false");
    }

    static HostProcess start(Path home, String name) {
        return start(home, name, Map.of());
    }

    static HostProcess start(Path home, String name, Map<String, String> properties) {
        return start(home, name, properties, Map.of());
    }

    static HostProcess start(Path home, String name, Map<String, String> properties, Map<String, String> environment) {
        HostProcess host = new HostProcess(home, name, properties);
        host.environment.putAll(environment);
        host.launch();
        return host;
    }

    /**
     * Starts a host in another network: its {@code java} runs through {@code commandPrefix} (such
     * as {@code ip netns exec NAME}) and its API listens on {@code bindHost}:{@code port}.
     */
    static HostProcess startIn(List<String> commandPrefix, String bindHost, int port, Path home, String name,
                               Map<String, String> properties) {
        return startIn(commandPrefix, bindHost, port, home, name, properties, Map.of());
    }

    /** As above, with environment variables for the host (such as its API key). */
    static HostProcess startIn(List<String> commandPrefix, String bindHost, int port, Path home, String name,
                               Map<String, String> properties, Map<String, String> environment) {
        HostProcess host = new HostProcess(home, name, properties);
        host.environment.putAll(environment);
        host.commandPrefix.addAll(commandPrefix);
        host.bindHost = bindHost;
        host.httpPort = port;
        host.launch();
        return host;
    }

    Path home() {
        return home;
    }

    Path dataDir() {
        return home.resolve("hosts").resolve(name);
    }

    Path log() {
        return home.resolve(name + ".log");
    }

    /** Starts the process (again) and waits until the host answers. */
    void launch() {
        try {
            Files.createDirectories(home.resolve("deploy"));
            List<String> command = new ArrayList<>(commandPrefix);
            command.addAll(List.of(javaExecutable(), "-Xmx256m",
                    "-Djaglets.home=" + home, "-Djaglets.name=" + name, "-Djaglets.pool.size=1",
                    "-Dorg.apache.felix.http.host=" + bindHost, "-Dorg.osgi.service.http.port=" + httpPort,
                    "-Dfelix.fileinstall.dir=" + home.resolve("deploy"), "-Dgosh.args=--quiet"));
            properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add("-jar");
            command.add(hostJar().toString());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log().toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        stdout = new LinkedBlockingQueue<>();
        BlockingQueue<String> lines = stdout;
        Process p = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // process gone
            }
        }, "host-stdout-" + name);
        reader.setDaemon(true);
        reader.start();
        awaitCondition(() -> run("jaglets:health").startsWith("host " + name), Duration.ofSeconds(60),
                "host " + name + " to answer");
    }

    /** Runs one Gogo command and returns what it printed. */
    String run(String command) {
        int id = ++marker;
        String end = "jaglets-end-marker-" + id;
        try {
            stdin.write(command + "\n" + "echo " + end + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new IllegalStateException("host " + name + " is not running: " + e + "\n" + logTail());
        }
        StringBuilder out = new StringBuilder();
        long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
        while (true) {
            String line;
            try {
                line = stdout.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (line == null) {
                throw new IllegalStateException("no answer to '" + command + "' within " + COMMAND_TIMEOUT
                        + "; printed so far: " + out + "\n" + logTail());
            }
            line = line.replace("g! ", "");
            if (line.contains(end)) {
                return out.toString().trim();
            }
            if (!line.isBlank()) {
                out.append(line).append('\n');
            }
        }
    }

    /** Runs a command that prints JSON and parses it. */
    JsonNode json(String command) {
        String out = run(command);
        try {
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new AssertionError("'" + command + "' did not print JSON: " + out);
        }
    }

    /** Sends a message (Gogo {@code jaglets:send}) and returns the printed reply. */
    String send(String agentId, String kind, String argsJson) {
        String args = argsJson == null ? "" : "-a '" + argsJson + "' ";
        return run("jaglets:send " + args + agentId + " " + kind);
    }

    String send(String agentId, String kind) {
        return send(agentId, kind, null);
    }

    JsonNode agent(String agentId) {
        for (JsonNode a : json("jaglets:agents -s all -j")) {
            if (a.path("agentId").asText().equals(agentId)) {
                return a;
            }
        }
        return null;
    }

    void awaitAgent(String agentId, Predicate<JsonNode> condition, Duration timeout, String what) {
        awaitCondition(() -> {
            JsonNode a = agent(agentId);
            return a != null && condition.test(a);
        }, timeout, "agent " + agentId + " " + what);
    }

    /** Kills the host with SIGKILL, as a power cut would; its children notice and end. */
    void kill9() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        waitForExit();
        awaitChildren(children);
    }

    /** Children end on their own once their host is gone; wait for that so folders can be reused. */
    private static void awaitChildren(List<ProcessHandle> children) {
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                child.destroyForcibly();
            }
        }
    }

    /** Stops the host through its shell ({@code stop 0}): every active agent is stored. */
    void stop() {
        List<ProcessHandle> children = process.descendants().toList();
        try {
            stdin.write("stop 0\n");
            stdin.flush();
        } catch (IOException e) {
            // already gone
        }
        waitForExit();
        awaitChildren(children);
    }

    /** Sends SIGTERM, as a service manager would. */
    void terminate() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        waitForExit();
        awaitChildren(children);
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The base URL of the host's HTTP API. */
    String url() {
        return "http://" + bindHost + ":" + httpPort;
    }

    static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    String logTail() {
        try {
            List<String> lines = Files.exists(log()) ? Files.readAllLines(log()) : List.of();
            return "--- log of " + name + " ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40),
                    lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroyForcibly();
            waitForExit();
            awaitChildren(children);
        }
    }

    static void awaitCondition(java.util.function.BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
                last = null;
            } catch (RuntimeException e) {
                last = e;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what, last);
    }

    static Path hostJar() {
        return Path.of(System.getProperty("jaglets.host.jar", "../target/run.jar")).toAbsolutePath().normalize();
    }

    static Path examplesJar() {
        return Path.of(System.getProperty("jaglets.examples.jar")).toAbsolutePath().normalize();
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

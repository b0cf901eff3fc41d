package jaglets.bench.http;

import jaglets.bench.report.MachineLoad;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The client side of the HTTP benchmark: measures a running host through its HTTP API over
 * loopback sockets, from this process. The figures, in the order they run: round trips
 * (keep-alive and new connection), throughput (one and many client threads), create (pool
 * refilled and back to back), then {@code GET /agents} with many agents active. A figure that
 * fails is recorded in the errors and the next one runs.
 */
public final class HttpBench {
    private static final String ROUND_TRIP_AGENT_PREFIX = "http-rt-";

    private final InetSocketAddress address;
    private final ProcessHandle host;
    private final HttpSettings settings;
    private final LongSupplier memAvailableMiB;
    private final Consumer<String> progress;
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final List<Object> errors = new ArrayList<>();

    /**
     * @param host the host's process, for the CPU it and its children use; null if unknown
     */
    public HttpBench(InetSocketAddress address, ProcessHandle host, HttpSettings settings,
                     LongSupplier memAvailableMiB, Consumer<String> progress) {
        this.address = address;
        this.host = host;
        this.settings = settings;
        this.memAvailableMiB = memAvailableMiB;
        this.progress = progress;
    }

    public static String url(InetSocketAddress address) {
        return "http://" + address.getHostString() + ":" + address.getPort();
    }

    /**
     * Waits until the host at {@code address} answers {@code GET /health} as the host named
     * {@code name} (not some other process that holds the port). Returns its health,
     * or throws when {@code gaveUp} says the process will not answer or {@code timeout} passes.
     */
    public static Map<String, Object> awaitHost(InetSocketAddress address, String name, Duration timeout,
                                                Supplier<String> gaveUp)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (JdkHttp http = new JdkHttp(url(address), Duration.ofSeconds(5))) {
            String last = "no answer";
            while (System.nanoTime() < deadline) {
                String reason = gaveUp.get();
                if (reason != null) {
                    throw new IOException(reason);
                }
                JdkHttp.Reply reply = null;
                try {
                    reply = http.get("/health");
                    last = "status " + reply.status();
                } catch (ConnectException e) {
                    last = "connection refused";
                } catch (IOException e) {
                    last = e.toString(); // starting up: try again until the deadline
                }
                if (reply != null && reply.status() == 200) {
                    Map<String, Object> health = reply.json();
                    if (name.equals(health.get("name"))) {
                        return health;
                    }
                    throw new IOException(url(address) + " is another host ('" + health.get("name") + "')");
                }
                Thread.sleep(100);
            }
            throw new IOException(url(address) + " did not answer GET /health within " + timeout + " (" + last + ")");
        }
    }

    public Map<String, Object> figures() {
        return figures;
    }

    public List<Object> errors() {
        return errors;
    }

    /** Runs every figure against the host with pool size {@code poolSize}. */
    public void run(int poolSize) throws InterruptedException {
        try (JdkHttp http = new JdkHttp(url(address), settings.timeout())) {
            HostApi api = new HostApi(http, poolSize);
            if (settings.messaging()) {
                messaging(api);
            }
            listAgents(api);
        }
    }

    private void messaging(HostApi api) throws InterruptedException {
        List<String> agents = new ArrayList<>();
        try {
            try {
                api.awaitSettled();
                for (int i = 0; i < settings.threads(); i++) {
                    String id = ROUND_TRIP_AGENT_PREFIX + i;
                    api.create(id);
                    agents.add(id);
                    api.ping(id);
                }
            } catch (IOException e) {
                errors.add("creating the agents for round trips and throughput: " + e);
                return;
            }
            roundTrips(api, agents.get(0));
            throughput(api.http(), agents);
        } finally {
            disposeQuietly(api, agents);
        }
        measure("create_pool_refilled", () -> new CreateOverHttp(api, address, settings, progress).poolRefilled());
        measure("create_back_to_back", () -> new CreateOverHttp(api, address, settings, progress).backToBack());
    }

    private void roundTrips(HostApi api, String agent) throws InterruptedException {
        RoundTrips roundTrips = new RoundTrips(api, address, host, settings, progress);
        measure("round_trip_keepalive_jdk", () -> roundTrips.keepAliveJdk(agent));
        measure("round_trip_keepalive_socket", () -> roundTrips.keepAliveSocket(agent));
        measure("round_trip_keepalive_spaced", () -> roundTrips.keepAliveSocketSpaced(agent));
        measure("round_trip_new_connection", () -> roundTrips.newConnection(agent));
    }

    private void throughput(JdkHttp http, List<String> agents) throws InterruptedException {
        Duration join = settings.timeout().plusSeconds(5);
        Throughput.Callers jdk = index -> () -> {
            String agent = agents.get(index);
            HostApi.checkPong(agent, http.post(HostApi.messagesPath(agent), HostApi.PING));
        };
        Throughput.Callers socket = index -> {
            String agent = agents.get(index);
            return socketCaller(SocketHttp.request("POST", HostApi.messagesPath(agent), address, HostApi.PING, false),
                    reply -> RoundTrips.checkPong(agent, reply));
        };
        for (int threads : new int[] {1, settings.threads()}) {
            String shape = threads + "x" + threads;
            measure("throughput_" + shape + "_jdk", () -> throughputFigure("jdk-" + shape, threads, jdk,
                    "java.net.http.HttpClient shared by the threads", join));
            measure("throughput_" + shape + "_socket", () -> throughputFigure("socket-" + shape, threads, socket,
                    "plain socket per thread, kept alive", join));
        }
        // the same clients against a route that reaches no agent: what the HTTP server alone
        // sustains here, the ceiling of every message figure above
        Throughput.Callers health = index -> socketCaller(SocketHttp.request("GET", "/health", address, null, false),
                reply -> {
                    if (reply.status() != 200) {
                        throw new IOException("GET /health answered " + reply.status() + ": " + reply.text());
                    }
                });
        int many = settings.threads();
        measure(healthThroughputKey(many), () -> {
            Map<String, Object> figure = throughputFigure("socket-health-" + many, many, health,
                    "plain socket per thread, kept alive, GET /health (no agent)", join);
            figure.put("agents", 0);
            return figure;
        });
    }

    /** Checks one answer; throws if it is not the expected one. */
    private interface ReplyCheck {
        void check(SocketHttp.Reply reply) throws IOException;
    }

    /** A client thread's own kept connection, sending {@code request} and checking each answer. */
    private Throughput.Caller socketCaller(byte[] request, ReplyCheck check) throws IOException {
        SocketHttp connection = new SocketHttp(address, settings.timeout());
        return new Throughput.Caller() {
            @Override
            public void ping() throws IOException {
                check.check(connection.exchange(request));
            }

            @Override
            public void close() throws IOException {
                connection.close();
            }
        };
    }

    /** The key of the throughput figure of {@code GET /health} with {@code threads} client threads. */
    public static String healthThroughputKey(int threads) {
        return "throughput_" + threads + "_threads_health_socket";
    }

    private Map<String, Object> throughputFigure(String label, int threads, Throughput.Callers callers, String client,
                                                 Duration join) throws Exception {
        Map<String, Object> figure = new Throughput().run(label, threads, callers, settings.throughputWarmup(),
                settings.throughputRun(), join, host);
        figure.put("client", client);
        progress.accept("throughput " + threads + " thread(s) -> " + threads + " agent(s), " + client + ": "
                + figure.get("msgs_per_s") + " msg/s (" + figure.get("errors") + " errors); CPU " + figure.get("cpu"));
        return figure;
    }

    private void listAgents(HostApi api) throws InterruptedException {
        long deadline = System.nanoTime() + settings.createLimit().toNanos();
        try (ListAgents list = new ListAgents(api, address, settings, memAvailableMiB, progress)) {
            measure("list_agents_" + settings.listAgents(), () -> list.measureAt(settings.listAgents(), deadline));
            if (settings.manyAgents() > 0) {
                measure("list_agents_" + settings.manyAgents(), () -> list.measureAt(settings.manyAgents(), deadline));
            }
        }
    }

    /** A figure's work: may fail, which is recorded. */
    private interface Figure {
        Map<String, Object> measure() throws Exception;
    }

    private void measure(String key, Figure figure) throws InterruptedException {
        long begin = System.nanoTime();
        long pressureBefore = MachineLoad.cpuPressureMicros();
        try {
            Map<String, Object> measured = figure.measure();
            // how contended the two cores were while this figure ran
            measured.put("cpu_pressure_pct", MachineLoad.pressurePercent(pressureBefore,
                    MachineLoad.cpuPressureMicros(), System.nanoTime() - begin));
            measured.put("load_average_at_end", MachineLoad.loadAverage());
            figures.put(key, measured);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            errors.add(key + ": " + e);
            progress.accept(key + " failed: " + e);
        }
    }

    private void disposeQuietly(HostApi api, List<String> agents) throws InterruptedException {
        for (String id : agents) {
            try {
                api.dispose(id);
            } catch (IOException | RuntimeException e) {
                progress.accept("could not dispose " + id + ": " + e);
            }
        }
    }
}

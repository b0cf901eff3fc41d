package jaglets.bench.http;

import jaglets.bench.report.Samples;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code POST /agents/{id}/messages {"message": {"kind": "ping"}}} to one active agent, each
 * request timed alone from the first byte sent to the last byte of the answer read, after a
 * warm-up: with keep-alive through {@code java.net.http} (as {@code HostClient} sends it) and
 * through a plain socket (also with a pause before each request), and with a new connection per
 * request (plain socket, TCP connect included, {@code Connection: close}).
 */
final class RoundTrips {
    private static final int SPACED_WARMUP = 500;
    private static final int SPACED_CALLS = 200;
    private static final long SPACING_MS = 20;
    private final HostApi api;
    private final InetSocketAddress address;
    private final ProcessHandle host;
    private final HttpSettings settings;
    private final Consumer<String> progress;
    private CpuUse cpuAtBegin;

    RoundTrips(HostApi api, InetSocketAddress address, ProcessHandle host, HttpSettings settings,
               Consumer<String> progress) {
        this.api = api;
        this.address = address;
        this.host = host;
        this.settings = settings;
        this.progress = progress;
    }

    Map<String, Object> keepAliveJdk(String agent) throws IOException, InterruptedException {
        String path = HostApi.messagesPath(agent);
        Samples samples = new Samples();
        int total = settings.callWarmup() + settings.calls();
        long begin = 0;
        for (int i = 0; i < total; i++) {
            if (i == settings.callWarmup()) {
                begin = begin();
            }
            long start = System.nanoTime();
            JdkHttp.Reply reply = api.http().post(path, HostApi.PING);
            long end = System.nanoTime();
            HostApi.checkPong(agent, reply);
            if (i >= settings.callWarmup()) {
                samples.add(end - start);
            }
        }
        return figure(samples, settings.calls(), begin, "java.net.http.HttpClient, one kept connection");
    }

    Map<String, Object> keepAliveSocket(String agent) throws IOException, InterruptedException {
        return keptConnection(agent, settings.callWarmup(), settings.calls(), 0, "plain socket, one kept connection");
    }

    /**
     * The kept connection again, each request after a pause: a request that finds the host, its
     * child and this machine idle, as a lone operator's request does. Far slower than back to back
     * on a small virtual machine, at every step (figure {@code round_trip_keepalive_spaced}).
     */
    Map<String, Object> keepAliveSocketSpaced(String agent) throws IOException, InterruptedException {
        Map<String, Object> figure = keptConnection(agent, SPACED_WARMUP, SPACED_CALLS, SPACING_MS,
                "plain socket, one kept connection, one request every " + SPACING_MS + " ms");
        figure.put("spacing_ms", SPACING_MS);
        return figure;
    }

    /** {@code calls} pings on one plain-socket connection after {@code warmup}, each measured one after {@code pauseMs}. */
    private Map<String, Object> keptConnection(String agent, int warmup, int calls, long pauseMs, String client)
            throws IOException, InterruptedException {
        byte[] request = SocketHttp.request("POST", HostApi.messagesPath(agent), address, HostApi.PING, false);
        Samples samples = new Samples();
        long begin = 0;
        try (SocketHttp http = new SocketHttp(address, settings.timeout())) {
            for (int i = 0; i < warmup + calls; i++) {
                boolean measured = i >= warmup;
                if (i == warmup) {
                    begin = begin();
                }
                if (measured && pauseMs > 0) {
                    Thread.sleep(pauseMs);
                }
                long start = System.nanoTime();
                SocketHttp.Reply reply = http.exchange(request);
                long end = System.nanoTime();
                checkPong(agent, reply);
                if (measured) {
                    samples.add(end - start);
                }
            }
        }
        Map<String, Object> figure = figure(samples, calls, begin, client);
        figure.put("warmup_calls", warmup);
        return figure;
    }

    Map<String, Object> newConnection(String agent) throws IOException, InterruptedException {
        byte[] request = SocketHttp.request("POST", HostApi.messagesPath(agent), address, HostApi.PING, true);
        Samples samples = new Samples();
        int warmup = Math.max(settings.newConnectionCalls() / 10, 50);
        int total = warmup + settings.newConnectionCalls();
        long begin = 0;
        for (int i = 0; i < total; i++) {
            if (i == warmup) {
                begin = begin();
            }
            long start = System.nanoTime();
            SocketHttp.Reply reply = SocketHttp.once(address, settings.timeout(), request);
            long end = System.nanoTime();
            checkPong(agent, reply);
            if (i >= warmup) {
                samples.add(end - start);
            }
        }
        Map<String, Object> figure = figure(samples, settings.newConnectionCalls(), begin,
                "plain socket, connected per request, Connection: close");
        figure.put("warmup_calls", warmup);
        return figure;
    }

    static void checkPong(String agent, SocketHttp.Reply reply) throws IOException {
        HostApi.checkPong(agent, new JdkHttp.Reply(reply.status(), reply.text()));
    }

    /** Called once the warm-up is over and the host settled: the measured calls start. */
    private long begin() throws IOException, InterruptedException {
        api.awaitSettled();
        cpuAtBegin = CpuUse.sample(host);
        return System.nanoTime();
    }

    private Map<String, Object> figure(Samples samples, int calls, long begin, String client) {
        double seconds = (System.nanoTime() - begin) / 1e9;
        Map<String, Object> cpu = CpuUse.sample(host).perMessageSince(cpuAtBegin, calls);
        Map<String, Object> figure = samples.summary();
        figure.put("cpu", cpu);
        figure.put("client", client);
        figure.put("warmup_calls", settings.callWarmup());
        figure.put("calls_per_s", Math.round(calls / seconds));
        progress.accept("round trip (" + client + "): p50 " + figure.get("p50_ms") + " ms, p99 "
                + figure.get("p99_ms") + " ms");
        return figure;
    }
}

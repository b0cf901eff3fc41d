package jaglets.bench.http;

import jaglets.bench.report.Samples;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code POST /agents {agent_class_name, agent_id, state}} for an EchoJaglet, timed until the
 * answer (with the proxy) is read, on a kept plain-socket connection (so the figure shows the
 * host, not a client library).
 * "Pool refilled": before each create the previous agent is disposed, its child has exited and
 * the pool is full again; the first {@code ping} after the create is timed as well. "Back to
 * back": creates sent one right after the other, so after the pool's children are taken each
 * create waits for a JVM to boot.
 */
final class CreateOverHttp {
    private final HostApi api;
    private final InetSocketAddress address;
    private final HttpSettings settings;
    private final Consumer<String> progress;

    CreateOverHttp(HostApi api, InetSocketAddress address, HttpSettings settings, Consumer<String> progress) {
        this.api = api;
        this.address = address;
        this.settings = settings;
        this.progress = progress;
    }

    Map<String, Object> poolRefilled() throws IOException, InterruptedException {
        Samples createLatency = new Samples();
        Samples firstReply = new Samples();
        int total = settings.createWarmup() + settings.createIterations();
        try (SocketHttp http = new SocketHttp(address, settings.timeout())) {
            for (int i = 0; i < total; i++) {
                api.awaitSettled();
                String id = "http-create-" + i;
                byte[] create = createRequest(id);
                byte[] ping = SocketHttp.request("POST", HostApi.messagesPath(id), address, HostApi.PING, false);
                long start = System.nanoTime();
                SocketHttp.Reply reply = http.exchange(create);
                long created = System.nanoTime();
                SocketHttp.Reply pong = http.exchange(ping);
                long answered = System.nanoTime();
                checkCreated(id, reply);
                RoundTrips.checkPong(id, pong);
                if (i >= settings.createWarmup()) {
                    createLatency.add(created - start);
                    firstReply.add(answered - start);
                }
                Optional<Long> pid = api.childPid(id);
                api.dispose(id);
                HostApi.awaitExit(pid);
                if ((i + 1) % 10 == 0) {
                    progress.accept("create over HTTP, pool refilled: " + (i + 1) + "/" + total);
                }
            }
        }
        Map<String, Object> figure = createLatency.summary();
        figure.put("create_then_first_ping", firstReply.summary());
        figure.put("warmup", settings.createWarmup());
        figure.put("pool_size", 2);
        return figure;
    }

    Map<String, Object> backToBack() throws IOException, InterruptedException {
        api.awaitSettled();
        Samples create = new Samples();
        List<String> created = new ArrayList<>();
        long begin = System.nanoTime();
        try (SocketHttp http = new SocketHttp(address, settings.timeout())) {
            for (int i = 0; i < settings.backToBack(); i++) {
                String id = "http-burst-" + i;
                byte[] request = createRequest(id);
                long start = System.nanoTime();
                SocketHttp.Reply reply = http.exchange(request);
                long end = System.nanoTime();
                checkCreated(id, reply);
                created.add(id);
                create.add(end - start);
            }
        } finally {
            disposeAndAwaitExit(created);
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        Map<String, Object> figure = create.summary();
        figure.put("first_two_ms", create.count() >= 2 ? List.of(firstMillis(create, 0), firstMillis(create, 1))
                : List.of());
        figure.put("pool_size", 2);
        figure.put("wall_s_with_disposal", Math.round(seconds * 10) / 10.0);
        return figure;
    }

    private byte[] createRequest(String id) {
        return SocketHttp.request("POST", "/agents", address, HostApi.createBody(id), false);
    }

    private static void checkCreated(String id, SocketHttp.Reply reply) throws IOException {
        HostApi.checkCreated(id, new JdkHttp.Reply(reply.status(), reply.text()));
    }

    private static double firstMillis(Samples samples, int index) {
        return Samples.round(samples.valueNanos(index) / 1e6);
    }

    private void disposeAndAwaitExit(List<String> ids) throws IOException, InterruptedException {
        List<Optional<Long>> pids = new ArrayList<>();
        for (String id : ids) {
            pids.add(api.childPid(id));
            api.dispose(id);
        }
        for (Optional<Long> pid : pids) {
            HostApi.awaitExit(pid);
        }
    }
}

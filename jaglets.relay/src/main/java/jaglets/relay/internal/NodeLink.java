package jaglets.relay.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.mesh.HostRef;
import jaglets.mesh.HostRefs;
import jaglets.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's link to its hub, all of it outbound: every heartbeat interval it connects (its health
 * in, the hub's view of the mesh out); one thread long-polls for requests; each request runs on a
 * thread of its own, replayed against this host's API on loopback, and its answer goes back to the
 * hub. A long request (a dispatch) therefore never holds up the others. Failures are logged when
 * the link changes state, and retried after a pause.
 */
final class NodeLink {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLink.class);

    private final RelaySettings settings;
    private final String apiKey;
    /** Takes in the hub's view of the mesh: the hub, then every host it knows. */
    private final BiConsumer<HostRef, List<HostRef>> meshView;
    private final HttpClient http;
    private final ScheduledExecutorService heartbeat;
    private final ThreadPoolExecutor deliveries;
    private final Thread poller;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean connected = new AtomicBoolean(false);
    /** The first failed connect is logged even though the link was never up (a wrong hub URL, a refusal). */
    private final AtomicBoolean firstFailure = new AtomicBoolean(true);
    private final AtomicBoolean polling = new AtomicBoolean(true);

    NodeLink(RelaySettings settings, String apiKey, BiConsumer<HostRef, List<HostRef>> meshView) {
        this.settings = settings;
        this.apiKey = apiKey;
        this.meshView = meshView;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(named("jaglets-relay-connect"));
        AtomicInteger count = new AtomicInteger();
        this.deliveries = new ThreadPoolExecutor(RelaySettings.NODE_THREADS, RelaySettings.NODE_THREADS, 60,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> daemon(r, "jaglets-relay-delivery-" + count.incrementAndGet()));
        this.deliveries.allowCoreThreadTimeOut(true);
        this.poller = daemon(this::pollLoop, "jaglets-relay-poll");
    }

    void start() {
        heartbeat.scheduleWithFixedDelay(this::connectQuietly, 0, settings.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
        poller.start();
    }

    void stop() {
        running.set(false);
        heartbeat.shutdownNow();
        poller.interrupt();
        deliveries.shutdownNow();
        try {
            poller.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- connect -------------------------------------------------------------------------------

    private void connectQuietly() {
        try {
            connectOnce();
            if (connected.compareAndSet(false, true)) {
                LOG.info("connected to hub {} as {}", settings.connectTo(), settings.relayAddress());
            }
        } catch (RuntimeException e) {
            if (connected.compareAndSet(true, false) || firstFailure.compareAndSet(true, false)) {
                LOG.warn("cannot connect to hub {}: {}; trying again every {} ms", settings.connectTo(), e.getMessage(),
                        settings.heartbeat().toMillis());
            }
        }
    }

    /** One heartbeat: this host's health to the hub, the hub's view of the mesh back. */
    void connectOnce() {
        JsonNode health = json(send(request(settings.localApi() + "/health", RelaySettings.CALL_TIMEOUT).GET().build(),
                "this host's own API"), settings.localApi());
        ObjectNode body = Json.object();
        body.set("health", health);
        JsonNode reply = json(send(request(settings.connectTo() + "/relay/connect", RelaySettings.CALL_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body))).build(), settings.connectTo()),
                settings.connectTo());
        HostRef hub = HostRefs.fromWire(reply.get("hub"));
        meshView.accept(hub, HostRefs.listFromWire(reply.get("hosts")));
    }

    // ---- poll and deliveries -------------------------------------------------------------------

    private void pollLoop() {
        String pollUrl = settings.connectTo() + "/relay/poll/" + RelaySettings.encode(settings.hostName())
                + "?timeout=" + RelaySettings.POLL_WAIT.toSeconds();
        while (running.get()) {
            try {
                JsonNode reply = json(send(request(pollUrl, RelaySettings.POLL_CALL_TIMEOUT).GET().build(),
                        settings.connectTo()), settings.connectTo());
                if (polling.compareAndSet(false, true)) {
                    LOG.info("polling hub {} again", settings.connectTo());
                }
                JsonNode delivery = reply.get("delivery");
                if (delivery != null && delivery.isObject()) {
                    deliveries.execute(() -> deliver(delivery));
                }
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                if (polling.compareAndSet(true, false)) {
                    LOG.warn("cannot poll hub {}: {}; trying again every {} ms", settings.connectTo(), e.getMessage(),
                            RelaySettings.BACK_OFF.toMillis());
                }
                try {
                    Thread.sleep(RelaySettings.BACK_OFF.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Replays one relayed request against this host's API and sends the answer back to the hub. */
    private void deliver(JsonNode delivery) {
        String id = delivery.path("delivery_id").asText();
        RelayReply reply;
        RelayRequest request = null;
        try {
            request = RelayRequest.fromWire(delivery.path("payload"));
            double seconds = delivery.path("timeout").asDouble(settings.deliveryTimeout().toSeconds());
            reply = replay(request, Duration.ofMillis(Math.max(1000, Math.round(seconds * 1000))));
        } catch (RuntimeException e) {
            reply = RelayReply.error(jaglets.protocol.WireError.asJagletException(e));
        }
        LOG.debug("relayed {} answered {}", request, reply.status());
        acknowledge(id, reply);
    }

    RelayReply replay(RelayRequest request, Duration timeout) {
        URI uri = URI.create(settings.localApi() + request.path() + (request.query() == null ? "" : "?" + request.query()));
        HttpRequest.Builder builder = request(uri.toString(), timeout);
        if (request.contentType() != null) {
            builder.header("Content-Type", request.contentType());
        }
        builder.method(request.method(), request.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        HttpResponse<byte[]> response = send(builder.build(), "this host's own API");
        return new RelayReply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                response.body());
    }

    /** Sends the answer to the hub; once more if the first try fails (the hub drops duplicates). */
    private void acknowledge(String deliveryId, RelayReply reply) {
        String url = settings.connectTo() + "/relay/ack/" + RelaySettings.encode(deliveryId) + "?status=" + reply.status();
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                HttpRequest.Builder builder = request(url, RelaySettings.CALL_TIMEOUT.multipliedBy(3));
                builder.header("Content-Type", reply.contentType() == null ? "application/octet-stream" : reply.contentType());
                json(send(builder.POST(HttpRequest.BodyPublishers.ofByteArray(reply.body())).build(), settings.connectTo()),
                        settings.connectTo());
                return;
            } catch (RuntimeException e) {
                if (attempt == 2 || !running.get()) {
                    LOG.warn("could not answer relayed request {} to hub {}: {}", deliveryId, settings.connectTo(),
                            e.getMessage());
                }
            }
        }
    }

    // ---- plumbing -----------------------------------------------------------------------------

    private HttpRequest.Builder request(String url, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Authorization", "Bearer " + apiKey);
    }

    private HttpResponse<byte[]> send(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new JagletException(ErrorType.TIMEOUT, what + " did not answer " + request.method() + " "
                    + request.uri().getPath() + " within " + request.timeout().map(RelayHub::seconds).orElse("?"));
        } catch (IOException e) {
            throw new JagletException(ErrorType.REMOTE_HOST, "could not reach " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JagletException(ErrorType.TIMEOUT, "interrupted while waiting for " + what);
        }
    }

    /** A JSON answer of the hub (or of this host's API), its errors as {@link JagletException}s. */
    private static JsonNode json(HttpResponse<byte[]> response, String from) {
        JsonNode node;
        try {
            node = response.body().length == 0 ? Json.object() : Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new JagletException(ErrorType.REMOTE_HOST, from + " answered " + response.statusCode()
                    + " with a body that is not JSON");
        }
        if (response.statusCode() / 100 != 2) {
            throw node.path("error_type").isTextual() ? jaglets.protocol.WireError.fromWire(node)
                    : new JagletException(ErrorType.REMOTE_HOST, from + " answered " + response.statusCode());
        }
        return node;
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return r -> daemon(r, name);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread thread = new Thread(r, name);
        thread.setDaemon(true);
        return thread;
    }
}

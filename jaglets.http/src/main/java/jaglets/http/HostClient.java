package jaglets.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.AgentStatus;
import jaglets.api.AgentSummary;
import jaglets.api.DeactivationRequest;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.JagletProxyRef;
import jaglets.api.Message;
import jaglets.api.SendOptions;
import jaglets.api.TransferTicket;
import jaglets.protocol.Envelope;
import jaglets.http.internal.RepeatableCalls;
import jaglets.http.internal.WireViews;
import jaglets.protocol.Json;
import jaglets.protocol.WireError;
import jaglets.protocol.WireFormat;
import jaglets.runtime.AgentBundle;
import jaglets.runtime.AgentState;
import jaglets.runtime.CreateRequest;
import jaglets.runtime.HostEvent;
import jaglets.runtime.HostHealth;
import jaglets.runtime.Transfers;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A client of the jaglets HTTP API, for any number of hosts. It answers with the records the
 * {@link jaglets.runtime.Host} service itself returns ({@link AgentSummary}, {@link AgentState},
 * {@link HostEvent}, {@link AgentBundle}, {@link HostHealth}), read back from the host's JSON.
 * Connections are kept alive and reused; every error arrives as a {@link JagletException} with
 * the host's {@code error_type} (an unreachable host or a non-JSON answer is
 * {@link ErrorType#REMOTE_HOST}). Thread-safe.
 */
public final class HostClient {
    /** How long a call waits by default (paglets' client waits 10 s). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** Where the futures of {@link #sendAsync} complete, so that what callers chain never holds up the client. */
    private static final java.util.concurrent.Executor REPLIES =
            java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "jaglets-client-reply");
                t.setDaemon(true);
                return t;
            });

    private final HttpClient http;
    private final String apiKey;
    private final Duration timeout;

    private HostClient(String apiKey, Duration timeout, Duration connectTimeout) {
        this.apiKey = apiKey == null || apiKey.isEmpty() ? null : apiKey;
        this.timeout = timeout;
        // the client's own steps run on the thread that reads the response instead of being
        // handed to a pool thread: one thread switch less per call (0.4 ms of an exchange on an
        // idle host); the futures sendAsync gives out complete on a pool of their own
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .executor(Runnable::run).build();
    }

    /** A client without an API key and with the default timeouts. */
    public static HostClient create() {
        return new HostClient(null, DEFAULT_TIMEOUT, Duration.ofSeconds(5));
    }

    /** A client that sends {@code apiKey} (may be null) and waits {@code timeout} per call. */
    public static HostClient create(String apiKey, Duration timeout) {
        return new HostClient(apiKey, timeout, Duration.ofSeconds(Math.min(5, Math.max(1, timeout.toSeconds()))));
    }

    public Duration timeout() {
        return timeout;
    }

    // ---- host ---------------------------------------------------------------------------------

    public HostHealth health(String hostUrl) {
        return WireViews.healthFromWire(get(hostUrl, "/health"));
    }

    /** The host's health as it wrote it, read within {@code callTimeout}. */
    public JsonNode healthJson(String hostUrl, Duration callTimeout) {
        return repeatable(hostUrl, "GET", "/health", null, null, callTimeout);
    }

    /** At most {@code limit} events with an id above {@code since}, oldest first. */
    public List<HostEvent> events(String hostUrl, long since, int limit) {
        List<HostEvent> events = new ArrayList<>();
        get(hostUrl, "/events?since=" + since + "&limit=" + limit).path("events")
                .forEach(e -> events.add(WireViews.eventFromWire(e)));
        return events;
    }

    /** The hosts of the mesh as this host knows them, itself included. */
    public List<jaglets.mesh.HostRef> hosts(String hostUrl) {
        return jaglets.mesh.HostRefs.listFromWire(get(hostUrl, "/hosts").path("hosts"));
    }

    // ---- agents -------------------------------------------------------------------------------

    public List<AgentSummary> agents(String hostUrl, AgentStatus which) {
        List<AgentSummary> agents = new ArrayList<>();
        get(hostUrl, "/agents?state=" + which.name().toLowerCase()).path("agents")
                .forEach(a -> agents.add(WireViews.summaryFromWire(a)));
        return agents;
    }

    /** Summaries with each agent's state, as the host writes them. */
    public JsonNode agentsWithState(String hostUrl, AgentStatus which) {
        return get(hostUrl, "/agents?include_state=true&state=" + which.name().toLowerCase()).path("agents");
    }

    public AgentSummary agent(String hostUrl, String agentId) {
        return WireViews.summaryFromWire(get(hostUrl, "/agents/" + encode(agentId)));
    }

    /** The agent's summary and state (and, if inactive, its policy and queue length). */
    public AgentState state(String hostUrl, String agentId) {
        return WireViews.stateFromWire(get(hostUrl, "/agents/" + encode(agentId) + "/state"));
    }

    /**
     * Creates an agent on a host.
     *
     * @param bundleVersion {@code null} for the newest deployed version
     * @param agentId {@code null} for a random one
     */
    public HttpJagletProxy create(String hostUrl, String className, String bundleVersion, String agentId,
                                  Object state, Object init) {
        ObjectNode body = Json.object();
        body.put("agent_class_name", className);
        body.put("bundle_version", bundleVersion);
        body.put("agent_id", agentId);
        body.set("state", Json.toTree(state));
        body.set("init", Json.toTree(init));
        return proxyFrom(post(hostUrl, "/agents", body, timeout));
    }

    /** Creates an agent on a host, as {@link jaglets.runtime.Host#create} does on its own. */
    public HttpJagletProxy create(String hostUrl, CreateRequest request) {
        return create(hostUrl, request.className(), request.bundleVersion(), request.agentId(), request.state(),
                request.init());
    }

    /** Sends a message and waits for the reply (plain JSON values). */
    public Object send(String hostUrl, String agentId, Message message, SendOptions options) {
        return unwrapReply(message, post(hostUrl, "/agents/" + encode(agentId) + "/messages",
                messageBody(message, options, false), replyTimeout(options)));
    }

    /** Sends without waiting for the handler; the host has accepted the message when this returns. */
    public void sendOneway(String hostUrl, String agentId, Message message, SendOptions options) {
        post(hostUrl, "/agents/" + encode(agentId) + "/messages", messageBody(message, options, true), timeout);
    }

    /** Sends in the background. */
    public CompletableFuture<Object> sendAsync(String hostUrl, String agentId, Message message, SendOptions options) {
        HttpRequest request = request(hostUrl, "/agents/" + encode(agentId) + "/messages", replyTimeout(options))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(messageBody(message, options, false)))).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .handleAsync((response, error) -> {
                    if (error != null) {
                        throw new CompletionException(transportError(hostUrl, error));
                    }
                    return unwrapReply(message, decode(hostUrl, response.statusCode(), response.body()));
                }, REPLIES);
    }

    public HttpJagletProxy deactivate(String hostUrl, String agentId, DeactivationRequest request) {
        ObjectNode body = Json.object();
        if (request != null) {
            body.set("request", WireFormat.request(request));
        }
        return proxyFrom(post(hostUrl, "/agents/" + encode(agentId) + "/deactivate", body, timeout));
    }

    public HttpJagletProxy activate(String hostUrl, String agentId) {
        return proxyFrom(post(hostUrl, "/agents/" + encode(agentId) + "/activate", Json.object(), timeout));
    }

    public void dispose(String hostUrl, String agentId) {
        post(hostUrl, "/agents/" + encode(agentId) + "/dispose", Json.object(), timeout);
    }

    // ---- movement -----------------------------------------------------------------------------

    /** Moves an agent as the ticket says; returns where it lives afterwards. */
    public HttpJagletProxy dispatch(String hostUrl, String agentId, TransferTicket ticket) {
        ObjectNode body = Json.object();
        body.set("ticket", WireFormat.ticket(ticket));
        return proxyFrom(post(hostUrl, "/agents/" + encode(agentId) + "/dispatch", body, moveTimeout(ticket)));
    }

    /** Copies an agent (to the ticket's host, or its own when the ticket names none); returns the copy. */
    public HttpJagletProxy cloneAgent(String hostUrl, String agentId, TransferTicket ticket) {
        ObjectNode body = Json.object();
        body.set("ticket", WireFormat.ticket(ticket == null ? TransferTicket.to(null) : ticket));
        return proxyFrom(post(hostUrl, "/agents/" + encode(agentId) + "/clone", body,
                moveTimeout(ticket == null ? TransferTicket.to(null) : ticket)));
    }

    /** Asks the host at {@code hostUrl} to send one of its agents to {@code targetUrl}. */
    public HttpJagletProxy retract(String hostUrl, String agentId, String targetUrl) {
        ObjectNode body = Json.object();
        body.put("target", targetUrl);
        return proxyFrom(post(hostUrl, "/agents/" + encode(agentId) + "/retract", body,
                moveTimeout(TransferTicket.to(targetUrl))));
    }

    /** Every attempt, plus the target's wait for the agent's {@code run()} (30 s), with room to spare. */
    private static Duration moveTimeout(TransferTicket ticket) {
        return ticket.timeout().plus(ticket.retryInterval()).multipliedBy(ticket.retries() + 1L).plusSeconds(45);
    }

    // ---- host-to-host transfers (the hand-over steps) -------------------------------------------

    /** Sends the envelope in Smile: a state's binary values travel as raw bytes, not base64 text. */
    public void prepareTransfer(String hostUrl, Envelope envelope, Duration callTimeout) {
        byte[] body;
        try {
            body = Json.BINARY.writeValueAsBytes(envelope.toWire());
        } catch (IOException e) {
            throw new JagletException(ErrorType.SERIALIZATION, "the envelope cannot be encoded: " + e.getMessage(), e);
        }
        repeatable(hostUrl, "POST", "/transfers", Json.SMILE_MEDIA_TYPE, body, callTimeout);
    }

    /** Commits; {@code null} when the target no longer knows the transfer. */
    public JagletProxyRef commitTransfer(String hostUrl, String transferId, Duration settle, Duration callTimeout) {
        ObjectNode body = Json.object();
        body.put("settle", settle.toMillis() / 1000.0);
        JsonNode reply = repeatable(hostUrl, "POST", "/transfers/" + encode(transferId) + "/commit", "application/json",
                bytes(body), callTimeout);
        return reply.path("proxy").isObject() ? WireFormat.proxy(reply.get("proxy")) : null;
    }

    public void abortTransfer(String hostUrl, String transferId, Duration callTimeout) {
        repeatable(hostUrl, "POST", "/transfers/" + encode(transferId) + "/abort", "application/json",
                bytes(Json.object()), callTimeout);
    }

    public Transfers.Phase transferPhase(String hostUrl, String transferId, Duration callTimeout) {
        String phase = repeatable(hostUrl, "GET", "/transfers/" + encode(transferId), null, null, callTimeout)
                .path("phase").asText();
        try {
            return Transfers.Phase.valueOf(phase.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new JagletException(ErrorType.REMOTE_HOST, hostUrl + " answered an unknown transfer phase '"
                    + phase + "'");
        }
    }

    /** Downloads an agent bundle's jar into a temporary file (the caller removes it). */
    public Path fetchBundle(String hostUrl, String symbolicName, String version, Duration callTimeout) {
        HttpRequest request = request(hostUrl, "/bundles/" + encode(symbolicName) + "/" + encode(version) + "/jar",
                callTimeout).GET().build();
        try {
            Path jar = java.nio.file.Files.createTempFile("jaglets-fetched-", ".jar");
            HttpResponse<Path> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofFile(jar));
            } catch (IOException e) {
                java.nio.file.Files.deleteIfExists(jar);
                throw transportError(hostUrl, e);
            }
            if (response.statusCode() != 200) {
                byte[] body = java.nio.file.Files.readAllBytes(jar);
                java.nio.file.Files.deleteIfExists(jar);
                decode(hostUrl, response.statusCode(), body);
                throw new JagletException(ErrorType.REMOTE_HOST, hostUrl + " answered " + response.statusCode());
            }
            return jar;
        } catch (IOException e) {
            throw new JagletException(ErrorType.HOST, "could not store a fetched bundle: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JagletException(ErrorType.TIMEOUT, "interrupted while fetching a bundle from " + hostUrl);
        }
    }

    /** A proxy for an agent on a host (not checked until used). */
    public HttpJagletProxy proxy(String hostUrl, String agentId) {
        return new HttpJagletProxy(this, hostUrl, agentId);
    }

    // ---- bundles ------------------------------------------------------------------------------

    public List<AgentBundle> bundles(String hostUrl) {
        List<AgentBundle> bundles = new ArrayList<>();
        get(hostUrl, "/bundles").path("bundles").forEach(b -> bundles.add(WireViews.bundleFromWire(b)));
        return bundles;
    }

    /** Installs or updates an agent bundle from a jar file; new agents can use it when this returns. */
    public AgentBundle deploy(String hostUrl, Path bundleJar) {
        try {
            HttpRequest request = request(hostUrl, "/bundles", timeout.multipliedBy(6))
                    .header("Content-Type", "application/java-archive")
                    .POST(HttpRequest.BodyPublishers.ofFile(bundleJar)).build();
            return WireViews.bundleFromWire(exchange(hostUrl, request).path("bundle"));
        } catch (java.io.FileNotFoundException e) {
            throw new JagletException(ErrorType.BAD_REQUEST, "no bundle file " + bundleJar);
        }
    }

    public void uninstall(String hostUrl, String symbolicName, String version) {
        exchange(hostUrl, request(hostUrl, "/bundles/" + encode(symbolicName) + "/" + encode(version), timeout)
                .DELETE().build());
    }

    // ---- plumbing -----------------------------------------------------------------------------

    private static ObjectNode messageBody(Message message, SendOptions options, boolean oneway) {
        SendOptions opts = options == null ? SendOptions.DEFAULT : options;
        ObjectNode body = Json.object();
        body.set("message", WireFormat.message(message));
        body.put("oneway", oneway);
        body.put("activate_if_inactive", opts.activateIfInactive());
        body.put("no_delay", opts.noDelay());
        if (opts.timeout() != null) {
            body.put("timeout", opts.timeout().toMillis() / 1000.0);
        }
        return body;
    }

    private Duration replyTimeout(SendOptions options) {
        return options == null || options.timeout() == null ? timeout : options.timeout().plusSeconds(1);
    }

    private static Object unwrapReply(Message message, JsonNode reply) {
        if (reply.has("result")) {
            return Json.toPlain(reply.get("result"));
        }
        return Json.toPlain(reply); // queued, or the reserved _deactivate kind: answered at the top level
    }

    private HttpJagletProxy proxyFrom(JsonNode reply) {
        JsonNode proxy = reply.path("proxy");
        return new HttpJagletProxy(this, proxy.path("host_url").asText(), proxy.path("agent_id").asText());
    }

    private JsonNode get(String hostUrl, String path) {
        return exchange(hostUrl, request(hostUrl, path, timeout).GET().build());
    }

    private JsonNode post(String hostUrl, String path, JsonNode body, Duration callTimeout) {
        return exchange(hostUrl, request(hostUrl, path, callTimeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body))).build());
    }

    private HttpRequest.Builder request(String hostUrl, String path, Duration callTimeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(hostUrl, path)).timeout(callTimeout);
        headers(null).forEach(builder::header);
        return builder;
    }

    /** What every call sends: JSON accepted, the API key if any, and the body's type if given. */
    private java.util.Map<String, String> headers(String contentType) {
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Accept", "application/json");
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        if (apiKey != null) {
            headers.put("Authorization", "Bearer " + apiKey);
        }
        return headers;
    }

    private static URI uri(String hostUrl, String path) {
        URI uri;
        try {
            uri = URI.create(stripSlash(hostUrl) + path);
        } catch (IllegalArgumentException e) {
            throw new JagletException(ErrorType.BAD_REQUEST, "'" + hostUrl + "' is not a host URL");
        }
        if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
            throw new JagletException(ErrorType.BAD_REQUEST, "'" + hostUrl + "' is not an http(s) host URL");
        }
        return uri;
    }

    private JsonNode exchange(String hostUrl, HttpRequest request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw transportError(hostUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JagletException(ErrorType.TIMEOUT, "interrupted while waiting for " + hostUrl);
        }
        return decode(hostUrl, response.statusCode(), response.body());
    }

    /**
     * A call that may reach the host twice without harm (a hand-over step named by its transfer
     * id, a read), made on this thread: see {@link RepeatableCalls}.
     */
    private JsonNode repeatable(String hostUrl, String method, String path, String contentType, byte[] body,
                                Duration callTimeout) {
        RepeatableCalls.Response response;
        try {
            response = RepeatableCalls.call(uri(hostUrl, path), method, headers(contentType), body, callTimeout);
        } catch (IOException e) {
            throw transportError(hostUrl, e);
        }
        return decode(hostUrl, response.status(), response.body());
    }

    private static JsonNode decode(String hostUrl, int status, byte[] body) {
        JsonNode node;
        try {
            node = body.length == 0 ? Json.object() : Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new JagletException(ErrorType.REMOTE_HOST, hostUrl + " answered " + status + " with a body that is not JSON");
        }
        if (status >= 200 && status < 300) {
            return node;
        }
        if (node.path("error_type").isTextual()) {
            throw WireError.fromWire(node);
        }
        throw new JagletException(ErrorType.REMOTE_HOST, hostUrl + " answered " + status + " without an error body");
    }

    private static JagletException transportError(String hostUrl, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof JagletException je) {
            return je;
        }
        if (cause instanceof HttpTimeoutException || cause instanceof java.net.SocketTimeoutException) {
            return new JagletException(ErrorType.TIMEOUT, hostUrl + " did not answer in time");
        }
        String why = cause instanceof ConnectException ? "connection refused" : String.valueOf(cause.getMessage());
        return new JagletException(ErrorType.REMOTE_HOST, "could not reach " + hostUrl + ": " + why, cause);
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new JagletException(ErrorType.SERIALIZATION, "the request cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The error a failed call of this client carries, for callers that hold a raw throwable. */
    public static JagletException asJagletException(Throwable error) {
        return WireError.asJagletException(error);
    }
}

package jaglets.relay.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.http.ApiKey;
import jaglets.mesh.HostRef;
import jaglets.mesh.HostRefs;
import jaglets.mesh.Mesh;
import jaglets.protocol.Json;
import jaglets.protocol.WireError;
import jaglets.runtime.Host;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's routes under {@code /relay}, on the servlet whiteboard beside the API (which serves
 * everything else). Every host is a hub, except one in connect mode, which answers these routes
 * with {@code NotFoundError}. The API key is checked first, as for every other route.
 *
 * <table>
 * <tr><td>{@code POST /relay/connect}</td><td>{@code {"health": {...}}}: a node announces itself;
 * answers {@code {"hub": <host ref>, "hosts": [<host ref>...]}}, the hub's view of the mesh</td></tr>
 * <tr><td>{@code GET /relay/poll/{node}?timeout=25}</td><td>{@code {"delivery": null}} or
 * {@code {"delivery": {delivery_id, kind: "api", timeout, payload: {method, path, query,
 * content_type, body}}}} (body in base64)</td></tr>
 * <tr><td>{@code POST /relay/ack/{delivery_id}?status=N}</td><td>the node's answer as its body, with
 * its content type; answers {@code {"ok": true}}, plus {@code "duplicate": true} when nobody waits
 * for it any more</td></tr>
 * <tr><td>{@code GET /relay/diagnostics}</td><td>{@code {"nodes": [...]}}</td></tr>
 * <tr><td>{@code ANY /relay/hosts/{node}/<path>}</td><td>relayed to the node; answers with the
 * node's status, content type and body</td></tr>
 * </table>
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=/relay/*",
        "osgi.http.whiteboard.servlet.name=jaglets-relay"})
public final class RelayServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RelayServlet.class);

    @Reference
    private transient Host host;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile Mesh mesh;
    private transient ApiKey apiKey;
    private transient RelaySettings settings;
    /** {@code null} on a host in connect mode: it is a node, not a hub. */
    private transient RelayHub hub;

    @Activate
    void activate(BundleContext context) {
        settings = RelaySettings.read(context::getProperty);
        apiKey = ApiKey.fromEnvironment(settings.apiKeyVariable());
        if (settings.connectMode()) {
            LOG.info("relay hub off: this host is a node of {}", settings.connectTo());
            return;
        }
        hub = new RelayHub(host.name(), settings.offlineAfter(), settings.deliveryTimeout(), settings.queueLimit(),
                Clock.systemUTC());
        LOG.info("relay hub ready (nodes offline after {}, answers awaited {}, queues of {})",
                settings.offlineAfter(), settings.deliveryTimeout(), settings.queueLimit());
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            if (!apiKey.accepts(request.getHeader("Authorization"))) {
                response.setHeader("WWW-Authenticate", "Bearer");
                throw ApiKey.refusal();
            }
            if (hub == null) {
                throw new JagletException(ErrorType.NOT_FOUND, "host " + host.name() + " runs in connect mode (a node of "
                        + settings.connectTo() + "); it relays nothing");
            }
            route(request, response);
        } catch (JagletException e) {
            writeError(request, response, e);
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed: {}", request.getMethod(), request.getRequestURI(), e.toString());
            writeError(request, response, new JagletException(ErrorType.REMOTE_HOST,
                    WireError.asJagletException(e).getMessage()));
        }
    }

    private void route(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<String> path = segments(request.getPathInfo());
        String method = request.getMethod();
        String first = path.isEmpty() ? "" : path.get(0);
        if (first.equals("hosts") && path.size() >= 2) {
            relay(request, response, path.get(1));
        } else if (first.equals("connect") && path.size() == 1) {
            require(method, "POST", request);
            write(response, 200, connect(readJson(request)));
        } else if (first.equals("poll") && path.size() == 2) {
            require(method, "GET", request);
            poll(request, response, path.get(1));
        } else if (first.equals("ack") && path.size() == 2) {
            require(method, "POST", request);
            write(response, 200, ack(request, path.get(1)));
        } else if (first.equals("diagnostics") && path.size() == 1) {
            require(method, "GET", request);
            write(response, 200, hub.diagnostics());
        } else {
            throw new JagletException(ErrorType.NOT_FOUND, "no route for " + method + " " + request.getRequestURI());
        }
    }

    /** A node announces itself: it joins this hub's mesh under its relay URL and learns the mesh. */
    private ObjectNode connect(ObjectNode body) {
        JsonNode health = body.has("health") ? body.get("health") : body;
        if (!health.path("name").isTextual() || health.path("name").asText().isBlank()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "the body must be {\"health\": {...}} with the node's 'name'");
        }
        Mesh current = mesh;
        String version = health.path("code_version").asText("unknown");
        if (current != null && !version.equals(current.self().codeVersion())) {
            throw new JagletException(ErrorType.CONFLICT, "relay node '" + health.path("name").asText()
                    + "' runs mesh version " + version + ", this hub " + current.self().codeVersion()
                    + "; hosts of different versions do not mix");
        }
        String name = hub.connect(health);
        ObjectNode reply = Json.object();
        if (current == null) {
            reply.putArray("hosts");
            return reply;
        }
        reply.set("hub", HostRefs.toWire(current.self()));
        reply.set("hosts", HostRefs.toWire(current.join(meshRef(name, health, version), List.of())));
        return reply;
    }

    /** The node as the mesh shows it: its relay URL here (the address it gives itself, if it is one). */
    private HostRef meshRef(String name, JsonNode health, String version) {
        String suffix = "/relay/hosts/" + RelaySettings.encode(name);
        String address = health.path("address").asText("");
        String url = address.endsWith(suffix) ? RelaySettings.normalizeUrl(address)
                : RelaySettings.nodeUrl(host.address(), name);
        ObjectNode wire = health.deepCopy();
        wire.put("url", url);
        wire.put("code_version", version);
        return HostRefs.fromWire(wire).seen(Instant.now(), true, null);
    }

    private void poll(HttpServletRequest request, HttpServletResponse response, String node) throws IOException {
        Duration wait = RelaySettings.POLL_WAIT;
        String timeout = request.getParameter("timeout");
        if (timeout != null) {
            try {
                double seconds = Double.parseDouble(timeout);
                if (!(seconds >= 0)) {
                    throw new NumberFormatException();
                }
                Duration asked = Duration.ofMillis(Math.round(seconds * 1000));
                wait = asked.compareTo(wait) < 0 ? asked : wait;
            } catch (NumberFormatException e) {
                throw new JagletException(ErrorType.BAD_REQUEST, "query parameter 'timeout' must be seconds, not '"
                        + timeout + "'");
            }
        }
        RelayHub.Delivery delivery = hub.poll(node, wait);
        ObjectNode reply = Json.object();
        if (delivery == null) {
            reply.putNull("delivery");
            write(response, 200, reply);
            return;
        }
        ObjectNode wire = reply.putObject("delivery");
        wire.put("delivery_id", delivery.id());
        wire.put("kind", "api");
        wire.put("timeout", delivery.timeout().toMillis() / 1000.0);
        wire.set("payload", delivery.request().toWire());
        try {
            write(response, 200, reply);
        } catch (IOException | RuntimeException e) {
            hub.undelivered(delivery); // the node went away mid-answer: the next poll gets it
            throw e;
        }
    }

    private ObjectNode ack(HttpServletRequest request, String deliveryId) throws IOException {
        String status = request.getParameter("status");
        int code;
        try {
            code = Integer.parseInt(status == null ? "" : status);
        } catch (NumberFormatException e) {
            code = -1;
        }
        if (code < 100 || code > 599) {
            throw new JagletException(ErrorType.BAD_REQUEST, "query parameter 'status' must be the node's HTTP status, not '"
                    + status + "'");
        }
        byte[] body = readBody(request, settings.maxBody() * RelaySettings.REPLY_LIMIT_FACTOR);
        boolean taken = hub.answer(deliveryId, new RelayReply(code, request.getContentType(), body));
        ObjectNode reply = Json.object();
        reply.put("ok", true);
        if (!taken) {
            reply.put("duplicate", true);
        }
        return reply;
    }

    /** Any request to {@code /relay/hosts/{node}/<path>}: relayed as it came, answered as the node answers. */
    private void relay(HttpServletRequest request, HttpServletResponse response, String node) throws IOException {
        if (!hub.knows(node)) {
            throw new JagletException(ErrorType.NOT_FOUND, "no relay node named '" + node + "' has connected to hub "
                    + host.name() + "; connected: " + hub.nodeNames());
        }
        byte[] body = readBody(request, settings.maxBody());
        RelayReply reply = hub.forward(node, new RelayRequest(request.getMethod(), rawPathBelowNode(request),
                request.getQueryString(), request.getContentType(), body));
        response.setStatus(reply.status());
        if (reply.contentType() != null) {
            response.setContentType(reply.contentType());
        }
        response.setContentLength(reply.body().length);
        response.getOutputStream().write(reply.body());
    }

    /** The path after {@code /relay/hosts/{node}}, still percent-encoded as the caller sent it. */
    private static String rawPathBelowNode(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String prefix = request.getContextPath() + request.getServletPath() + "/hosts/";
        if (!uri.startsWith(prefix)) {
            throw new JagletException(ErrorType.BAD_REQUEST, "cannot tell the relayed path in " + uri);
        }
        String rest = uri.substring(prefix.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? "/" : rest.substring(slash);
    }

    // ---- plumbing -----------------------------------------------------------------------------

    private static List<String> segments(String pathInfo) {
        List<String> segments = new ArrayList<>();
        for (String part : (pathInfo == null ? "" : pathInfo).split("/")) {
            if (!part.isEmpty()) {
                segments.add(part);
            }
        }
        return segments;
    }

    private static void require(String method, String allowed, HttpServletRequest request) {
        if (!method.equals(allowed)) {
            throw new JagletException(ErrorType.METHOD_NOT_ALLOWED, request.getRequestURI() + " takes " + allowed
                    + ", not " + method);
        }
    }

    private ObjectNode readJson(HttpServletRequest request) throws IOException {
        return Json.requestObject(readBody(request, settings.maxBody()));
    }

    /** The whole body, refused with {@code PayloadTooLargeError} past {@code limit} bytes. */
    private static byte[] readBody(HttpServletRequest request, long limit) throws IOException {
        if (request.getContentLengthLong() > limit) {
            throw tooLarge(limit);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = request.getInputStream()) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > limit) {
                    throw tooLarge(limit);
                }
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    private static JagletException tooLarge(long limit) {
        return new JagletException(ErrorType.PAYLOAD_TOO_LARGE, "the body is larger than this hub relays (" + limit
                + " bytes)");
    }

    private static void writeError(HttpServletRequest request, HttpServletResponse response, JagletException error)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        boolean unreadBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        if (unreadBody && error.type() != ErrorType.REMOTE_HOST && error.type() != ErrorType.TIMEOUT) {
            response.setHeader("Connection", "close"); // the body may be unread: do not take it for the next request
        }
        write(response, error.type().httpStatus(), WireError.toWire(error));
    }

    private static void write(HttpServletResponse response, int status, JsonNode body) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}

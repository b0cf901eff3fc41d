package jaglets.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.AgentStatus;
import jaglets.api.AgentSummary;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.Message;
import jaglets.api.SendOptions;
import jaglets.api.JagletProxyRef;
import jaglets.api.TransferTicket;
import jaglets.http.ApiKey;
import jaglets.protocol.Envelope;
import jaglets.protocol.Json;
import jaglets.protocol.WireError;
import jaglets.protocol.WireFormat;
import jaglets.runtime.AgentListing;
import jaglets.runtime.CreateRequest;
import jaglets.runtime.Host;
import jaglets.runtime.Transfers;
import jaglets.mesh.HostRef;
import jaglets.mesh.HostRefs;
import jaglets.mesh.Mesh;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's HTTP API on the servlet whiteboard. Paths, fields and reply shapes follow paglets
 * so its JSON clients work unchanged; unlike paglets, an unknown route is a 404, a missing or
 * ill-typed field a 400, a body over the limit a 413, a wrong content type a 415, each with the
 * {@code {"error_type", "error"}} body. With an API key set, every route needs
 * {@code Authorization: Bearer <key>}, checked before any body is read.
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=/*",
        "osgi.http.whiteboard.servlet.name=jaglets-api"})
public final class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    /** Default largest request body: room for a 16 MiB state as JSON, or a large bundle. */
    static final long DEFAULT_MAX_BODY = 64L * 1024 * 1024;

    @Reference
    private transient Host host;
    @Reference
    private transient Transfers transfers;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile Mesh mesh;
    private transient ApiKey apiKey;
    private long maxBody;

    @Activate
    void activate(BundleContext context) {
        String keyVariable = property(context, "jaglets.api.key.env", ApiKey.DEFAULT_VARIABLE);
        apiKey = ApiKey.fromEnvironment(keyVariable);
        maxBody = Long.parseLong(property(context, "jaglets.http.max.body", String.valueOf(DEFAULT_MAX_BODY)));
        LOG.info("HTTP API ready ({}; bodies up to {} bytes)", apiKey.required()
                ? "API key required, from " + keyVariable : "no API key", maxBody);
    }

    private static String property(BundleContext context, String key, String fallback) {
        String value = context.getProperty(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ApiRequest api = new ApiRequest(request, maxBody);
        Object reply;
        try {
            if (!apiKey.accepts(request.getHeader("Authorization"))) {
                response.setHeader("WWW-Authenticate", "Bearer");
                throw ApiKey.refusal();
            }
            reply = route(api);
        } catch (JagletException e) {
            writeError(api, response, e.type().httpStatus(), WireError.toWire(e));
            return;
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed: {}", request.getMethod(), request.getRequestURI(), e.toString());
            ObjectNode body = Json.object();
            body.put("error_type", ErrorType.REMOTE_HOST.wireName());
            body.put("error", WireError.asJagletException(e).getMessage());
            writeError(api, response, 500, body);
            return;
        }
        if (reply instanceof Path file) {
            writeFile(response, file);
        } else {
            write(response, 200, (JsonNode) reply);
        }
    }

    private static void writeFile(HttpServletResponse response, Path file) throws IOException {
        response.setStatus(200);
        response.setContentType("application/java-archive");
        response.setContentLengthLong(Files.size(file));
        Files.copy(file, response.getOutputStream());
    }

    private static void writeError(ApiRequest api, HttpServletResponse response, int status, JsonNode body)
            throws IOException {
        // an unauthenticated body is never read; others are dropped up to a bound so the client sees the answer
        if (!api.drainRest(status != 401)) {
            response.setHeader("Connection", "close");
        }
        write(response, status, body);
    }

    /** A JSON reply, or a {@link Path} whose bytes are the reply (a bundle jar). */
    private Object route(ApiRequest request) throws IOException {
        List<String> path = request.segments();
        String method = request.method();
        if (path.size() == 1 && path.get(0).equals("health")) {
            request.require(method, "GET");
            return health();
        }
        if (path.size() == 1 && path.get(0).equals("events")) {
            request.require(method, "GET");
            return events(request);
        }
        if (!path.isEmpty() && path.get(0).equals("hosts")) {
            return hosts(request, path, method);
        }
        if (!path.isEmpty() && path.get(0).equals("agents")) {
            return agents(request, path, method);
        }
        if (!path.isEmpty() && path.get(0).equals("bundles")) {
            return bundles(request, path, method);
        }
        if (!path.isEmpty() && path.get(0).equals("transfers")) {
            return transfers(request, path, method);
        }
        throw new JagletException(ErrorType.NOT_FOUND, "no route for " + method + " " + request.path());
    }

    private JsonNode agents(ApiRequest request, List<String> path, String method) throws IOException {
        if (path.size() == 1) {
            if (method.equals("GET")) {
                return listAgents(request);
            }
            request.require(method, "POST");
            return create(request.jsonBody());
        }
        String id = path.get(1);
        if (path.size() == 2) {
            request.require(method, "GET");
            return WireViews.summary(host.agent(id));
        }
        if (path.size() != 3) {
            throw new JagletException(ErrorType.NOT_FOUND, "no route for " + method + " " + request.path());
        }
        String action = path.get(2);
        if (action.equals("state")) {
            request.require(method, "GET");
            return WireViews.state(host.state(id));
        }
        if (!List.of("messages", "deactivate", "activate", "dispose", "dispatch", "clone", "retract").contains(action)) {
            throw new JagletException(ErrorType.NOT_FOUND, "no route for " + method + " " + request.path());
        }
        request.require(method, "POST");
        ObjectNode body = request.jsonBody();
        return switch (action) {
            case "messages" -> message(id, body);
            case "deactivate" -> {
                AgentSummary summary = host.deactivate(id, WireFormat.request(ApiRequest.optionalObject(body, "request")));
                ObjectNode reply = Json.object();
                reply.set("proxy", WireFormat.proxy(new JagletProxyRef(host.address(), summary.agentId())));
                reply.put("ok", true);
                yield reply;
            }
            case "dispatch" -> WireFormat.proxyReply(host.dispatch(id, ticket(body, true)));
            case "clone" -> WireFormat.proxyReply(host.cloneAgent(id, ticket(body, false)));
            case "retract" -> WireFormat.proxyReply(host.retractTo(id, ApiRequest.requiredText(body, "target")));
            case "activate" -> {
                AgentSummary summary = host.activate(id);
                ObjectNode reply = Json.object();
                reply.set("proxy", WireFormat.proxy(new JagletProxyRef(host.address(), summary.agentId())));
                yield reply;
            }
            default -> {
                host.dispose(id);
                ObjectNode reply = Json.object();
                reply.put("ok", true);
                yield reply;
            }
        };
    }

    /** paglets' two shapes: {@code {"ticket": {...}}} or {@code {"target": url}}. */
    private static TransferTicket ticket(ObjectNode body, boolean destinationRequired) {
        JsonNode ticket = body.get("ticket");
        if (ticket != null && !ticket.isNull()) {
            TransferTicket parsed = WireFormat.ticket(ticket);
            if (destinationRequired && parsed.destination() == null) {
                throw new JagletException(ErrorType.BAD_REQUEST, "the ticket needs a 'destination'");
            }
            return parsed;
        }
        String target = destinationRequired ? ApiRequest.requiredText(body, "target")
                : ApiRequest.optionalText(body, "target");
        return TransferTicket.to(target);
    }

    /** The hand-over steps between hosts: prepare, commit, abort, and the phase a target asks about. */
    private JsonNode transfers(ApiRequest request, List<String> path, String method) throws IOException {
        ObjectNode reply = Json.object();
        if (path.size() == 1) {
            request.require(method, "POST");
            ApiRequest.ObjectBody body = request.jsonOrSmileBody();
            Envelope envelope = Envelope.fromWire(body.node());
            transfers.prepare(envelope, body.smile());
            reply.put("transfer_id", envelope.transferId());
            reply.put("phase", Transfers.Phase.PREPARED.wireName());
            return reply;
        }
        String transferId = path.get(1);
        if (path.size() == 2) {
            request.require(method, "GET");
            reply.put("transfer_id", transferId);
            reply.put("phase", transfers.phase(transferId).wireName());
            return reply;
        }
        if (path.size() == 3 && path.get(2).equals("commit")) {
            request.require(method, "POST");
            ObjectNode body = request.jsonBody();
            JsonNode settle = body.get("settle");
            if (settle != null && !settle.isNull() && !settle.isNumber()) {
                throw new JagletException(ErrorType.BAD_REQUEST, "field 'settle' must be a number of seconds");
            }
            JagletProxyRef location = transfers.commit(transferId,
                    settle == null || settle.isNull() ? null : seconds(Math.max(0, settle.asDouble())));
            if (location == null) {
                reply.putNull("proxy");
                reply.put("unknown", true);
            } else {
                reply.set("proxy", WireFormat.proxy(location));
            }
            return reply;
        }
        if (path.size() == 3 && path.get(2).equals("abort")) {
            request.require(method, "POST");
            transfers.abort(transferId);
            reply.put("ok", true);
            return reply;
        }
        throw new JagletException(ErrorType.NOT_FOUND, "no route for " + method + " " + request.path());
    }

    private JsonNode listAgents(ApiRequest request) {
        String state = request.query("state", "active");
        AgentStatus which = switch (state) {
            case "active" -> AgentStatus.ACTIVE;
            case "inactive" -> AgentStatus.INACTIVE;
            case "all" -> AgentStatus.ALL;
            default -> throw new JagletException(ErrorType.BAD_REQUEST,
                    "query parameter 'state' must be active, inactive or all, not '" + state + "'");
        };
        boolean includeState = request.flag("include_state");
        int offset = request.intQuery("offset", 0);
        int limit = request.intQuery("limit", 0);
        AgentListing listing = host.agents(which, offset, limit == 0 ? Integer.MAX_VALUE : limit);
        ObjectNode reply = Json.object();
        ArrayNode list = reply.putArray("agents");
        for (AgentSummary summary : listing.agents()) {
            if (!includeState) {
                list.add(WireViews.summary(summary));
                continue;
            }
            try {
                list.add(WireViews.state(host.state(summary.agentId())));
            } catch (JagletException e) {
                ObjectNode entry = WireViews.summary(summary);
                entry.put("state_error", e.getMessage());
                list.add(entry);
            }
        }
        reply.put("total", listing.total());
        int end = offset + listing.agents().size();
        if (end < listing.total()) {
            reply.put("next_offset", end);
        }
        return reply;
    }

    private JsonNode create(ObjectNode body) {
        if (body.has("envelope")) {
            throw new JagletException(ErrorType.TRANSFER, "this host does not accept agent envelopes on POST /agents;"
                    + " send a creation payload {agent_class_name, state, init, agent_id}");
        }
        String className = ApiRequest.requiredText(body, "agent_class_name");
        ApiRequest.optionalText(body, "state_class_name"); // paglets clients send it; the state class follows from the agent class
        JsonNode state = ApiRequest.optionalObject(body, "state");
        AgentSummary created = host.create(new CreateRequest(className, ApiRequest.optionalText(body, "bundle_version"),
                ApiRequest.optionalText(body, "agent_id"), state, Json.toPlain(body.get("init"))));
        return WireFormat.proxyReply(new JagletProxyRef(host.address(), created.agentId()));
    }

    private JsonNode message(String id, ObjectNode body) {
        JsonNode messageNode = body.get("message");
        if (messageNode == null || !messageNode.isObject()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "field 'message' must be a message object with a 'kind'");
        }
        Message message = WireFormat.message(messageNode);
        boolean oneway = ApiRequest.optionalBoolean(body, "oneway", false);
        SendOptions options = new SendOptions(ApiRequest.optionalBoolean(body, "activate_if_inactive", true),
                ApiRequest.optionalBoolean(body, "no_delay", false), ApiRequest.optionalSeconds(body, "timeout"));
        ObjectNode reply = Json.object();
        if (oneway) {
            host.sendOneway(id, message, options);
            reply.putNull("result");
            return reply;
        }
        Object result = host.call(id, message, options);
        if (result instanceof Map<?, ?> map && (Message.DEACTIVATE_KIND.equals(message.kind())
                || (Boolean.TRUE.equals(map.get("queued")) && map.containsKey("message_id") && map.size() == 2))) {
            return Json.toTree(result); // paglets answers these at the top level
        }
        reply.set("result", Json.toTree(result));
        return reply;
    }

    private Object bundles(ApiRequest request, List<String> path, String method) throws IOException {
        if (path.size() == 4 && path.get(3).equals("jar")) {
            request.require(method, "GET");
            return transfers.bundleJar(path.get(1), path.get(2));
        }
        if (path.size() == 1 && method.equals("GET")) {
            ObjectNode reply = Json.object();
            ArrayNode list = reply.putArray("bundles");
            host.bundles().forEach(b -> list.add(WireViews.bundle(b)));
            return reply;
        }
        if (path.size() == 1) {
            request.require(method, "POST");
            Path jar = Files.createTempFile("jaglets-upload-", ".jar");
            try {
                try (InputStream body = request.binaryBody(List.of("application/java-archive", "application/zip",
                        "application/octet-stream"))) {
                    Files.copy(body, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                ObjectNode reply = Json.object();
                reply.set("bundle", WireViews.bundle(host.deploy(jar)));
                return reply;
            } finally {
                Files.deleteIfExists(jar);
            }
        }
        if (path.size() == 3) {
            request.require(method, "DELETE");
            host.uninstall(path.get(1), path.get(2));
            ObjectNode reply = Json.object();
            reply.put("ok", true);
            return reply;
        }
        throw new JagletException(ErrorType.NOT_FOUND, "no route for " + method + " " + request.path());
    }

    private JsonNode hosts(ApiRequest request, List<String> path, String method) throws IOException {
        Mesh current = requireMesh();
        ObjectNode reply = Json.object();
        if (path.size() == 1) {
            request.require(method, "GET");
            reply.set("hosts", HostRefs.toWire(current.hosts()));
            return reply;
        }
        if (path.size() == 2 && path.get(1).equals("join")) {
            request.require(method, "POST");
            ObjectNode body = request.jsonBody();
            HostRef caller = HostRefs.fromWire(body);
            if (caller == null) {
                throw new JagletException(ErrorType.BAD_REQUEST,
                        "the body must be a host reference with string fields name, url and code_version");
            }
            reply.set("hosts", HostRefs.toWire(current.join(caller, HostRefs.listFromWire(body.get("hosts")))));
            return reply;
        }
        throw new JagletException(ErrorType.NOT_FOUND, "no route for " + method + " " + request.path());
    }

    private Mesh requireMesh() {
        Mesh current = mesh;
        if (current == null) {
            throw new JagletException(ErrorType.NOT_FOUND, "this host runs without a mesh");
        }
        return current;
    }

    private JsonNode events(ApiRequest request) {
        long since = request.longQuery("since", 0);
        int limit = request.intQuery("limit", 100);
        ObjectNode reply = Json.object();
        ArrayNode list = reply.putArray("events");
        host.events(since, limit).forEach(e -> list.add(WireViews.event(e)));
        return reply;
    }

    private JsonNode health() {
        Mesh current = mesh;
        return WireViews.health(host.health(), apiKey.required(), current == null ? null : current.self(),
                current != null && current.enabled());
    }

    private static void write(HttpServletResponse response, int status, JsonNode body) throws IOException {
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            status = 500;
            bytes = ("{\"error_type\":\"SerializationError\",\"error\":\"the reply could not be written as JSON\"}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    static Duration seconds(double value) {
        return Duration.ofMillis(Math.round(value * 1000));
    }
}

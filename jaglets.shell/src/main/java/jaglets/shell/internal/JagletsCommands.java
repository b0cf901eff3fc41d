package jaglets.shell.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jaglets.api.AgentStatus;
import jaglets.api.DeactivationPolicy;
import jaglets.api.DeactivationRequest;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.Message;
import jaglets.api.SendOptions;
import jaglets.runtime.CreateRequest;
import jaglets.runtime.Host;
import jaglets.shell.Tables;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code jaglets:*} Gogo commands. Each one calls the {@link Host} service once and prints
 * its answer, as a table or, with {@code --json}, as JSON. Errors print as
 * {@code error_type: message}.
 */
@Component(service = JagletsCommands.class, property = {
        "osgi.command.scope=jaglets",
        "osgi.command.function=agents", "osgi.command.function=create", "osgi.command.function=send",
        "osgi.command.function=deactivate", "osgi.command.function=activate", "osgi.command.function=dispose",
        "osgi.command.function=state", "osgi.command.function=events", "osgi.command.function=bundles",
        "osgi.command.function=deploy", "osgi.command.function=uninstall", "osgi.command.function=health"})
public final class JagletsCommands {
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    @Reference
    private Host host;

    private interface Command {
        Object run() throws Exception;
    }

    private static String run(Command command, boolean json, java.util.function.Function<Object, String> table) {
        try {
            Object result = command.run();
            return json ? JSON.writeValueAsString(result) : table.apply(result);
        } catch (JagletException e) {
            return e.type().wireName() + ": " + e.getMessage();
        } catch (JsonProcessingException e) {
            return "SerializationError: " + e.getOriginalMessage();
        } catch (Exception e) {
            return "HostError: " + e;
        }
    }

    @SuppressWarnings("unchecked")
    @Descriptor("list agents on this host")
    public String agents(
            @Descriptor("active, inactive or all") @Parameter(names = {"-s", "--state"}, absentValue = "active") String state,
            @Descriptor("print JSON") @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json) {
        return run(() -> host.agents(AgentStatus.valueOf(state.toUpperCase())), json,
                r -> Tables.agents((java.util.List<jaglets.api.AgentSummary>) r));
    }

    @Descriptor("create an agent")
    public String create(
            @Descriptor("bundle version (default: newest)") @Parameter(names = {"-v", "--version"}, absentValue = "") String version,
            @Descriptor("agent id (default: random)") @Parameter(names = {"-i", "--id"}, absentValue = "") String id,
            @Descriptor("initial state as JSON") @Parameter(names = {"-s", "--state"}, absentValue = "") String state,
            @Descriptor("init value as JSON") @Parameter(names = {"--init"}, absentValue = "") String init,
            @Descriptor("print JSON") @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("agent class name") String className) {
        return run(() -> host.create(new CreateRequest(className, blankToNull(version), blankToNull(id),
                parse(state), parse(init))), json, r -> "created " + ((jaglets.api.AgentSummary) r).agentId());
    }

    @Descriptor("send a message to an agent and print the reply")
    public String send(
            @Descriptor("do not wait for the reply") @Parameter(names = {"-o", "--oneway"}, presentValue = "true", absentValue = "false") boolean oneway,
            @Descriptor("priority 0..10") @Parameter(names = {"-p", "--priority"}, absentValue = "5") int priority,
            @Descriptor("never activate nor queue") @Parameter(names = {"--no-delay"}, presentValue = "true", absentValue = "false") boolean noDelay,
            @Descriptor("do not activate an inactive agent") @Parameter(names = {"--no-activate"}, presentValue = "true", absentValue = "false") boolean noActivate,
            @Descriptor("reply timeout in seconds") @Parameter(names = {"-t", "--timeout"}, absentValue = "30") int timeout,
            @Descriptor("message args as a JSON object") @Parameter(names = {"-a", "--args"}, absentValue = "") String args,
            @Descriptor("agent id") String agentId,
            @Descriptor("message kind") String kind) {
        return run(() -> {
            Message message = Message.of(kind).withArgs(args.isBlank() ? Map.of() : asMap(parse(args)))
                    .withPriority(priority);
            SendOptions options = new SendOptions(!noActivate, noDelay, Duration.ofSeconds(timeout));
            if (oneway) {
                host.sendOneway(agentId, message, options);
                return null;
            }
            return host.call(agentId, message, options);
        }, true, r -> null);
    }

    @Descriptor("deactivate an agent to disk")
    public String deactivate(
            @Descriptor("activate again after this many seconds") @Parameter(names = {"--after"}, absentValue = "-1") double after,
            @Descriptor("activate when the host starts") @Parameter(names = {"--on-startup"}, presentValue = "true", absentValue = "false") boolean onStartup,
            @Descriptor("do not activate on a message") @Parameter(names = {"--no-activate-on-message"}, presentValue = "true", absentValue = "false") boolean noActivateOnMessage,
            @Descriptor("do not queue messages while inactive") @Parameter(names = {"--no-queue"}, presentValue = "true", absentValue = "false") boolean noQueue,
            @Descriptor("agent id") String agentId) {
        DeactivationPolicy policy = new DeactivationPolicy(!noActivateOnMessage, !noQueue, onStartup,
                after < 0 ? null : Instant.now().plusMillis(Math.round(after * 1000)));
        return run(() -> host.deactivate(agentId, DeactivationRequest.external(policy)), false,
                r -> "deactivated " + agentId);
    }

    @Descriptor("activate an inactive agent")
    public String activate(@Descriptor("agent id") String agentId) {
        return run(() -> host.activate(agentId), false, r -> "activated " + agentId);
    }

    @Descriptor("dispose an agent (active, inactive or crashed)")
    public String dispose(@Descriptor("agent id") String agentId) {
        return run(() -> {
            host.dispose(agentId);
            return null;
        }, false, r -> "disposed " + agentId);
    }

    @Descriptor("print an agent's state as JSON")
    public String state(@Descriptor("agent id") String agentId) {
        return run(() -> host.state(agentId), true, r -> null);
    }

    @SuppressWarnings("unchecked")
    @Descriptor("list recent host events")
    public String events(
            @Descriptor("only events after this id") @Parameter(names = {"-s", "--since"}, absentValue = "0") long since,
            @Descriptor("at most this many") @Parameter(names = {"-l", "--limit"}, absentValue = "100") int limit,
            @Descriptor("print JSON") @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json) {
        return run(() -> host.events(since, limit), json,
                r -> Tables.events((java.util.List<jaglets.runtime.HostEvent>) r));
    }

    @SuppressWarnings("unchecked")
    @Descriptor("list agent bundles")
    public String bundles(
            @Descriptor("print JSON") @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json) {
        return run(host::bundles, json, r -> Tables.bundles((java.util.List<jaglets.runtime.AgentBundle>) r));
    }

    @Descriptor("deploy an agent bundle from a jar file")
    public String deploy(@Descriptor("path of the bundle jar") String path) {
        return run(() -> host.deploy(Path.of(path)), false, r -> {
            jaglets.runtime.AgentBundle b = (jaglets.runtime.AgentBundle) r;
            return "deployed " + b.symbolicName() + " " + b.version() + " offering " + b.classes();
        });
    }

    @Descriptor("uninstall an agent bundle version no agent uses")
    public String uninstall(@Descriptor("bundle symbolic name") String symbolicName,
                            @Descriptor("bundle version") String version) {
        return run(() -> {
            host.uninstall(symbolicName, version);
            return null;
        }, false, r -> "uninstalled " + symbolicName + " " + version);
    }

    @Descriptor("print the host's health")
    public String health(
            @Descriptor("print JSON") @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json) {
        return run(host::health, json, r -> Tables.health((jaglets.runtime.HostHealth) r));
    }

    private static Object parse(String json) throws JsonProcessingException {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new JagletException(ErrorType.BAD_REQUEST, "not valid JSON: " + e.getOriginalMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        if (!(value instanceof Map)) {
            throw new JagletException(ErrorType.BAD_REQUEST, "message args must be a JSON object");
        }
        return (Map<String, Object>) value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

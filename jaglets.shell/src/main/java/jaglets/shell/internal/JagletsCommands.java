package jaglets.shell.internal;

import jaglets.api.AgentSummary;
import jaglets.api.DeactivationRequest;
import jaglets.api.JagletException;
import jaglets.api.Message;
import jaglets.api.SendOptions;
import jaglets.runtime.AgentBundle;
import jaglets.runtime.Host;
import jaglets.runtime.HostEvent;
import jaglets.runtime.HostHealth;
import jaglets.shell.CommandInput;
import jaglets.shell.Tables;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code jaglets:*} Gogo commands. Each one calls the {@link Host} service once and prints
 * its answer, as a table or, with {@code --json}, as JSON. Errors print as
 * {@code error_type: message}. Input is read by {@link CommandInput} and answers are formatted by
 * {@link Tables}, as in the {@code jaglets} terminal client.
 */
@Component(service = JagletsCommands.class, property = {
        "osgi.command.scope=jaglets",
        "osgi.command.function=agents", "osgi.command.function=create", "osgi.command.function=send",
        "osgi.command.function=deactivate", "osgi.command.function=activate", "osgi.command.function=dispose",
        "osgi.command.function=state", "osgi.command.function=events", "osgi.command.function=bundles",
        "osgi.command.function=deploy", "osgi.command.function=uninstall", "osgi.command.function=health",
        "osgi.command.function=dispatch", "osgi.command.function=clone", "osgi.command.function=retract"})
public final class JagletsCommands {
    @Reference
    private Host host;

    private interface Command<T> {
        T run() throws Exception;
    }

    private static <T> String run(Command<T> command, boolean json, Function<T, String> text) {
        try {
            T result = command.run();
            return json ? Tables.json(result) : text.apply(result);
        } catch (JagletException e) {
            return e.type().wireName() + ": " + e.getMessage();
        } catch (Exception e) {
            return "HostError: " + e;
        }
    }

    @Descriptor("list agents on this host")
    public String agents(
            @Descriptor("active, inactive or all") @Parameter(names = {"-s", "--state"}, absentValue = "active") String state,
            @Descriptor("print JSON") @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json) {
        return run(() -> host.agents(CommandInput.agentStatus(state)), json, Tables::agents);
    }

    @Descriptor("create an agent")
    public String create(
            @Descriptor("bundle version (default: newest)") @Parameter(names = {"-v", "--version"}, absentValue = "") String version,
            @Descriptor("agent id (default: random)") @Parameter(names = {"-i", "--id"}, absentValue = "") String id,
            @Descriptor("initial state as JSON") @Parameter(names = {"-s", "--state"}, absentValue = "") String state,
            @Descriptor("init value as JSON") @Parameter(names = {"--init"}, absentValue = "") String init,
            @Descriptor("print JSON") @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("agent class name") String className) {
        return run(() -> host.create(CommandInput.createRequest(className, version, id, state, init)), json,
                (AgentSummary created) -> Tables.done("created", created.agentId()));
    }

    @Descriptor("send a message to an agent and print the reply")
    public String send(
            @Descriptor("do not wait for the reply") @Parameter(names = {"-o", "--oneway"}, presentValue = "true", absentValue = "false") boolean oneway,
            @Descriptor("priority 0..10") @Parameter(names = {"-p", "--priority"}, absentValue = "5") int priority,
            @Descriptor("never activate nor queue") @Parameter(names = {"--no-delay"}, presentValue = "true", absentValue = "false") boolean noDelay,
            @Descriptor("do not activate an inactive agent") @Parameter(names = {"--no-activate"}, presentValue = "true", absentValue = "false") boolean noActivate,
            @Descriptor("reply timeout in seconds") @Parameter(names = {"-t", "--timeout"}, absentValue = "30") double timeout,
            @Descriptor("message args as a JSON object") @Parameter(names = {"-a", "--args"}, absentValue = "") String args,
            @Descriptor("the message's one unnamed argument as JSON") @Parameter(names = {"--arg"}, absentValue = "") String arg,
            @Descriptor("agent id") String agentId,
            @Descriptor("message kind") String kind) {
        return run(() -> {
            Message message = CommandInput.message(kind, args, arg, priority);
            SendOptions options = CommandInput.sendOptions(noActivate, noDelay, timeout);
            if (oneway) {
                host.sendOneway(agentId, message, options);
                return null;
            }
            return host.call(agentId, message, options);
        }, true, reply -> null);
    }

    @Descriptor("deactivate an agent to disk")
    public String deactivate(
            @Descriptor("activate again after this many seconds") @Parameter(names = {"--after"}, absentValue = "-1") double after,
            @Descriptor("activate when the host starts") @Parameter(names = {"--on-startup"}, presentValue = "true", absentValue = "false") boolean onStartup,
            @Descriptor("do not activate on a message") @Parameter(names = {"--no-activate-on-message"}, presentValue = "true", absentValue = "false") boolean noActivateOnMessage,
            @Descriptor("do not queue messages while inactive") @Parameter(names = {"--no-queue"}, presentValue = "true", absentValue = "false") boolean noQueue,
            @Descriptor("agent id") String agentId) {
        return run(() -> host.deactivate(agentId, DeactivationRequest.external(
                CommandInput.policy(after, onStartup, noActivateOnMessage, noQueue))), false,
                summary -> Tables.done("deactivated", agentId));
    }

    @Descriptor("activate an inactive agent")
    public String activate(@Descriptor("agent id") String agentId) {
        return run(() -> host.activate(agentId), false, summary -> Tables.done("activated", agentId));
    }

    @Descriptor("dispose an agent (active, inactive or crashed)")
    public String dispose(@Descriptor("agent id") String agentId) {
        return run(() -> {
            host.dispose(agentId);
            return null;
        }, false, nothing -> Tables.done("disposed", agentId));
    }

    @Descriptor("move an agent to another host (by mesh name or URL)")
    public String dispatch(
            @Descriptor("seconds each step may take") @Parameter(names = {"-t", "--timeout"}, absentValue = "10") double timeout,
            @Descriptor("more attempts after a failed one") @Parameter(names = {"-r", "--retries"}, absentValue = "0") int retries,
            @Descriptor("store it inactive on arrival") @Parameter(names = {"--inactive"}, presentValue = "true", absentValue = "false") boolean inactive,
            @Descriptor("comma-separated capabilities the target must have") @Parameter(names = {"--require"}, absentValue = "") String require,
            @Descriptor("the bundle version the agent and target must have") @Parameter(names = {"--expect-version"}, absentValue = "") String expectVersion,
            @Descriptor("agent id") String agentId,
            @Descriptor("destination host name or URL") String destination) {
        return run(() -> host.dispatch(agentId, CommandInput.ticket(destination, timeout, retries, inactive, require,
                expectVersion)), false, location -> Tables.moved("dispatched", agentId, location));
    }

    @Descriptor("copy an agent, under a new id, to a host (default: this one)")
    public String clone(
            @Descriptor("destination host name or URL") @Parameter(names = {"--to"}, absentValue = "") String destination,
            @Descriptor("seconds each step may take") @Parameter(names = {"-t", "--timeout"}, absentValue = "10") double timeout,
            @Descriptor("store the copy inactive on arrival") @Parameter(names = {"--inactive"}, presentValue = "true", absentValue = "false") boolean inactive,
            @Descriptor("agent id") String agentId) {
        return run(() -> host.cloneAgent(agentId, CommandInput.ticket(destination, timeout, 0, inactive, "", "")),
                false, location -> Tables.moved("cloned", agentId, location));
    }

    @Descriptor("bring an agent from another host to this one")
    public String retract(
            @Descriptor("the host that has the agent (name or URL)") String hostUrl,
            @Descriptor("agent id") String agentId) {
        return run(() -> host.retract(hostUrl, agentId), false, location -> Tables.moved("retracted", agentId, location));
    }

    @Descriptor("print an agent's state as JSON")
    public String state(@Descriptor("agent id") String agentId) {
        return run(() -> host.state(agentId), true, state -> null);
    }

    @Descriptor("list recent host events")
    public String events(
            @Descriptor("only events after this id") @Parameter(names = {"-s", "--since"}, absentValue = "0") long since,
            @Descriptor("at most this many") @Parameter(names = {"-l", "--limit"}, absentValue = "100") int limit,
            @Descriptor("print JSON") @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json) {
        return run(() -> host.events(since, limit), json, (List<HostEvent> events) -> Tables.events(events));
    }

    @Descriptor("list agent bundles")
    public String bundles(
            @Descriptor("print JSON") @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json) {
        return run(host::bundles, json, (List<AgentBundle> bundles) -> Tables.bundles(bundles));
    }

    @Descriptor("deploy an agent bundle from a jar file")
    public String deploy(
            @Descriptor("print JSON") @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("path of the bundle jar") String path) {
        return run(() -> host.deploy(Path.of(path)), json, Tables::deployed);
    }

    @Descriptor("uninstall an agent bundle version no agent uses")
    public String uninstall(@Descriptor("bundle symbolic name") String symbolicName,
                            @Descriptor("bundle version") String version) {
        return run(() -> {
            host.uninstall(symbolicName, version);
            return null;
        }, false, nothing -> Tables.done("uninstalled", symbolicName, version));
    }

    @Descriptor("print the host's health")
    public String health(
            @Descriptor("print JSON") @Parameter(names = {"-j", "--json"}, presentValue = "true", absentValue = "false") boolean json) {
        return run(host::health, json, (HostHealth health) -> Tables.health(health));
    }
}

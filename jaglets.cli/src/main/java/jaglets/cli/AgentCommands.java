package jaglets.cli;

import jaglets.api.AgentSummary;
import jaglets.api.DeactivationRequest;
import jaglets.api.Message;
import jaglets.api.SendOptions;
import jaglets.http.HostClient;
import jaglets.http.HttpJagletProxy;
import jaglets.shell.CommandInput;
import jaglets.shell.Tables;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands about agents: one thin class per host operation, as the Gogo commands are. */
final class AgentCommands {
    private AgentCommands() {
    }

    @Command(name = "agents", description = "Lists agents as a table.")
    static final class Agents extends ClientCommand {
        @Option(names = {"-s", "--state"}, paramLabel = "WHICH", defaultValue = "active", completionCandidates = Which.class,
                description = "active (running and crashed), inactive or all (default: ${DEFAULT-VALUE}).")
        String which;

        @Option(names = {"-j", "--json"}, description = JSON)
        boolean json;

        @Override
        String answer(HostClient client, String hostUrl) {
            List<AgentSummary> agents = client.agents(hostUrl, CommandInput.agentStatus(which));
            return json ? Tables.json(agents) : Tables.agents(agents);
        }
    }

    @Command(name = "create", description = "Creates an agent in its own child JVM and runs its onCreation hook.")
    static final class Create extends ClientCommand {
        @Parameters(paramLabel = "CLASS", description = "The agent class, offered by a deployed bundle.")
        String className;

        @Option(names = {"-i", "--id"}, paramLabel = "ID", description = "The agent id (default: a random one).")
        String id;

        @Option(names = {"-v", "--version"}, paramLabel = "VERSION",
                description = "The bundle version to run (default: the newest deployed).")
        String version;

        @Option(names = {"-s", "--state"}, paramLabel = "JSON",
                description = "The initial state, a JSON object (default: the state class's defaults).")
        String state;

        @Option(names = "--init", paramLabel = "JSON", description = "The value handed to onCreation (default: null).")
        String init;

        @Option(names = {"-j", "--json"}, description = "Print the new agent's summary as JSON.")
        boolean json;

        @Override
        String answer(HostClient client, String hostUrl) {
            HttpJagletProxy created = client.create(hostUrl, CommandInput.createRequest(className, version, id, state, init));
            return json ? Tables.json(client.agent(hostUrl, created.agentId())) : Tables.done("created", created.agentId());
        }
    }

    @Command(name = "send", description = "Sends a message and prints the reply as JSON.")
    static final class Send extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The agent.")
        String agentId;

        @Parameters(index = "1", paramLabel = "KIND", description = "The message kind.")
        String kind;

        @Option(names = {"-a", "--args"}, paramLabel = "JSON", description = "The named arguments, a JSON object.")
        String args;

        @Option(names = "--arg", paramLabel = "JSON", description = "The one unnamed argument, any JSON value.")
        String arg;

        @Option(names = {"-o", "--oneway"}, description = "Do not wait for the reply; prints null once the host has the message.")
        boolean oneway;

        @Option(names = {"-p", "--priority"}, paramLabel = "N", defaultValue = "5",
                description = "1 (lowest) to 10 (highest); 0 skips the queue (default: ${DEFAULT-VALUE}).")
        int priority;

        @Option(names = "--no-delay", description = "Never activate and never queue: an inactive agent answers PagletInactiveError.")
        boolean noDelay;

        @Option(names = "--no-activate", description = "Do not activate an inactive agent; the message is queued if its policy allows.")
        boolean noActivate;

        @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", defaultValue = "" + CommandInput.DEFAULT_REPLY_TIMEOUT_SECONDS,
                description = "How long to wait for the reply (default: ${DEFAULT-VALUE}).")
        double timeout;

        @Option(names = {"-j", "--json"}, description = "Accepted for scripts: the reply is always JSON.")
        boolean json;

        @Override
        String answer(HostClient client, String hostUrl) {
            Message message = CommandInput.message(kind, args, arg, priority);
            SendOptions options = CommandInput.sendOptions(noActivate, noDelay, timeout);
            if (oneway) {
                client.sendOneway(hostUrl, agentId, message, options);
                return Tables.json(null);
            }
            return Tables.json(client.send(hostUrl, agentId, message, options));
        }
    }

    @Command(name = "deactivate", description = "Stores an active agent on disk and ends its child JVM.")
    static final class Deactivate extends ClientCommand {
        @Parameters(paramLabel = "ID", description = "The agent.")
        String agentId;

        @Option(names = "--after", paramLabel = "SECONDS", description = "Activate it again after this many seconds.")
        Double after;

        @Option(names = "--on-startup", description = "Activate it when the host starts.")
        boolean onStartup;

        @Option(names = "--no-activate-on-message", description = "A message does not activate it.")
        boolean noActivateOnMessage;

        @Option(names = "--no-queue", description = "Messages that do not activate it are refused rather than stored.")
        boolean noQueue;

        @Override
        String answer(HostClient client, String hostUrl) {
            client.deactivate(hostUrl, agentId, DeactivationRequest.external(
                    CommandInput.policy(after == null ? -1 : after, onStartup, noActivateOnMessage, noQueue)));
            return Tables.done("deactivated", agentId);
        }
    }

    @Command(name = "activate", description = "Brings an inactive agent back into a child JVM.")
    static final class Activate extends ClientCommand {
        @Parameters(paramLabel = "ID", description = "The agent.")
        String agentId;

        @Override
        String answer(HostClient client, String hostUrl) {
            client.activate(hostUrl, agentId);
            return Tables.done("activated", agentId);
        }
    }

    @Command(name = "dispose", description = "Removes an agent for good: active, inactive or crashed.")
    static final class Dispose extends ClientCommand {
        @Parameters(paramLabel = "ID", description = "The agent.")
        String agentId;

        @Override
        String answer(HostClient client, String hostUrl) {
            client.dispose(hostUrl, agentId);
            return Tables.done("disposed", agentId);
        }
    }

    @Command(name = "state", description = "Prints an agent's state and summary as JSON.")
    static final class State extends ClientCommand {
        @Parameters(paramLabel = "ID", description = "The agent.")
        String agentId;

        @Option(names = {"-j", "--json"}, description = "Accepted for scripts: the state is always JSON.")
        boolean json;

        @Override
        String answer(HostClient client, String hostUrl) {
            return Tables.json(client.state(hostUrl, agentId));
        }
    }

    /** The values of {@code agents --state}, for completion. */
    static final class Which extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Which() {
            super(List.of("active", "inactive", "all"));
        }
    }
}

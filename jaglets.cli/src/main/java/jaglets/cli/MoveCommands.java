package jaglets.cli;

import jaglets.http.HostClient;
import jaglets.http.HttpJagletProxy;
import jaglets.shell.CommandInput;
import jaglets.shell.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands that move agents between hosts, as the Gogo commands of the same names. */
final class MoveCommands {
    private MoveCommands() {
    }

    /** The ticket flags that dispatch and clone share. */
    abstract static class TicketCommand extends ClientCommand {
        @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", defaultValue = "10",
                description = "How long each step with the target may take (default: ${DEFAULT-VALUE}).")
        double timeout;

        @Option(names = "--inactive", description = "Store the agent inactive on arrival instead of running it.")
        boolean inactive;
    }

    @Command(name = "dispatch", description = "Moves an agent to another host: preflight, onDispatching, hand-over, onArrival.")
    static final class Dispatch extends TicketCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The agent.")
        String agentId;

        @Parameters(index = "1", paramLabel = "DESTINATION", description = "The target host, by mesh name or URL.")
        String destination;

        @Option(names = {"-r", "--retries"}, paramLabel = "N", defaultValue = "0",
                description = "More attempts after a failed one (default: ${DEFAULT-VALUE}).")
        int retries;

        @Option(names = "--require", paramLabel = "CAPABILITIES",
                description = "Comma-separated capabilities the target must announce.")
        String require;

        @Option(names = "--expect-version", paramLabel = "VERSION",
                description = "The agent must run this bundle version and the target must have it.")
        String expectVersion;

        @Override
        String answer(HostClient client, String hostUrl) {
            HttpJagletProxy moved = client.dispatch(hostUrl, agentId,
                    CommandInput.ticket(destination, timeout, retries, inactive, require, expectVersion));
            return Tables.moved("dispatched", agentId, moved.ref());
        }
    }

    @Command(name = "clone", description = "Copies an agent under a new id: onCloning, onClone in the copy, onCloned.")
    static final class Clone extends TicketCommand {
        @Parameters(paramLabel = "ID", description = "The agent.")
        String agentId;

        @Option(names = "--to", paramLabel = "DESTINATION", description = "The target host (default: the agent's own).")
        String destination;

        @Override
        String answer(HostClient client, String hostUrl) {
            HttpJagletProxy copy = client.cloneAgent(hostUrl, agentId,
                    CommandInput.ticket(destination, timeout, 0, inactive, null, null));
            return Tables.moved("cloned", agentId, copy.ref());
        }
    }

    @Command(name = "retract", description = "Brings an agent from another host to the entry host (onReverting, onArrival).")
    static final class Retract extends ClientCommand {
        @Parameters(index = "0", paramLabel = "FROM", description = "The URL of the host that has the agent.")
        String from;

        @Parameters(index = "1", paramLabel = "ID", description = "The agent.")
        String agentId;

        @Override
        String answer(HostClient client, String hostUrl) {
            HttpJagletProxy back = client.retract(from, agentId, hostUrl);
            return Tables.moved("retracted", agentId, back.ref());
        }
    }
}

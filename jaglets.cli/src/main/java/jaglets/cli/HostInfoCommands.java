package jaglets.cli;

import jaglets.http.HostClient;
import jaglets.runtime.AgentBundle;
import jaglets.runtime.HostEvent;
import jaglets.runtime.HostHealth;
import jaglets.shell.Tables;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands about the host itself: its health, its events and its agent bundles. */
final class HostInfoCommands {
    private HostInfoCommands() {
    }

    @Command(name = "health", description = "Prints one line about the host.")
    static final class Health extends ClientCommand {
        @Option(names = {"-j", "--json"}, description = JSON)
        boolean json;

        @Override
        String answer(HostClient client, String hostUrl) {
            HostHealth health = client.health(hostUrl);
            return json ? Tables.json(health) : Tables.health(health);
        }
    }

    @Command(name = "events", description = "Prints the host's recent events, oldest first.")
    static final class Events extends ClientCommand {
        @Option(names = {"-s", "--since"}, paramLabel = "ID", defaultValue = "0",
                description = "Only events with a higher id (default: ${DEFAULT-VALUE}).")
        long since;

        @Option(names = {"-l", "--limit"}, paramLabel = "N", defaultValue = "100",
                description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = {"-j", "--json"}, description = JSON)
        boolean json;

        @Override
        String answer(HostClient client, String hostUrl) {
            List<HostEvent> events = client.events(hostUrl, since, limit);
            return json ? Tables.json(events) : Tables.events(events);
        }
    }

    @Command(name = "bundles", description = "Lists the agent bundles the host knows, every version.")
    static final class Bundles extends ClientCommand {
        @Option(names = {"-j", "--json"}, description = JSON)
        boolean json;

        @Override
        String answer(HostClient client, String hostUrl) {
            List<AgentBundle> bundles = client.bundles(hostUrl);
            return json ? Tables.json(bundles) : Tables.bundles(bundles);
        }
    }

    @Command(name = "deploy", description = "Installs an agent bundle from a jar file; usable when this returns.")
    static final class Deploy extends ClientCommand {
        @Parameters(paramLabel = "FILE", description = "The bundle jar.")
        Path jar;

        @Option(names = {"-j", "--json"}, description = JSON)
        boolean json;

        @Override
        String answer(HostClient client, String hostUrl) {
            AgentBundle bundle = client.deploy(hostUrl, jar);
            return json ? Tables.json(bundle) : Tables.deployed(bundle);
        }
    }

    @Command(name = "uninstall", description = "Removes a bundle version that no agent uses.")
    static final class Uninstall extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The bundle's symbolic name.")
        String name;

        @Parameters(index = "1", paramLabel = "VERSION", description = "The bundle version.")
        String version;

        @Override
        String answer(HostClient client, String hostUrl) {
            client.uninstall(hostUrl, name, version);
            return Tables.done("uninstalled", name, version);
        }
    }
}

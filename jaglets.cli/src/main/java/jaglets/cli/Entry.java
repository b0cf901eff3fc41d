package jaglets.cli;

import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.http.HostClient;
import java.time.Duration;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/** Which host a client command talks to, and with which API key: the options every client command has. */
final class Entry {
    static final String DEFAULT_URL = "http://127.0.0.1:8765";
    static final String DEFAULT_KEY_VARIABLE = "JAGLETS_API_KEY";
    /** Longer than the host's own operation timeout (30 s), so that its TimeoutError arrives first. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(45);

    @Option(names = "--host", paramLabel = "URL", description = "The host to talk to (default: " + DEFAULT_URL + ").")
    String hostUrl;

    @Option(names = "--entry", paramLabel = "NAME",
            description = "The entry host when --host is not given: a URL (anything containing ://), or a host name"
                    + " the local host (" + DEFAULT_URL + ") knows in its mesh.")
    String entry;

    @Option(names = "--api-key-env", paramLabel = "NAME",
            description = "The environment variable that holds the host's API key (default: " + DEFAULT_KEY_VARIABLE + ").")
    String apiKeyVariable;

    /** Reads environment variables; tests replace it. */
    UnaryOperator<String> environment = System::getenv;

    /** The base URL of the host: {@code --host}, else {@code --entry}, else the local default. */
    String url() {
        if (hostUrl != null) {
            return hostUrl;
        }
        if (entry == null) {
            return DEFAULT_URL;
        }
        if (entry.contains("://")) {
            return entry;
        }
        // names are those of the mesh the local host knows
        java.util.List<jaglets.mesh.HostRef> known;
        try {
            known = client().hosts(DEFAULT_URL);
        } catch (JagletException e) {
            throw new JagletException(ErrorType.BAD_REQUEST, "cannot find a host named '" + entry + "': host names"
                    + " are looked up in the mesh of the local host " + DEFAULT_URL + ", which did not answer ("
                    + e.getMessage() + "); give a URL instead (--host http://ADDRESS:PORT)");
        }
        return known.stream().filter(h -> h.name().equals(entry)).findFirst().map(jaglets.mesh.HostRef::url)
                .orElseThrow(() -> new JagletException(ErrorType.BAD_REQUEST, "cannot find a host named '" + entry
                        + "' in the mesh of " + DEFAULT_URL + "; it knows " + known.stream()
                        .map(jaglets.mesh.HostRef::name).toList()));
    }

    /** The API key, or {@code null} when the host needs none. */
    String apiKey() {
        if (apiKeyVariable == null) {
            return environment.apply(DEFAULT_KEY_VARIABLE);
        }
        String key = environment.apply(apiKeyVariable);
        if (key == null || key.isEmpty()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "the environment variable " + apiKeyVariable
                    + " (named by --api-key-env) is not set");
        }
        return key;
    }

    HostClient client() {
        return HostClient.create(apiKey(), CALL_TIMEOUT);
    }
}

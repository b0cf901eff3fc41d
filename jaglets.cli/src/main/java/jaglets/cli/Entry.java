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
            description = "The entry host when --host is not given: a URL (anything containing ://); host names need a mesh.")
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
        throw new JagletException(ErrorType.BAD_REQUEST, "cannot find a host named '" + entry
                + "': finding hosts by name needs a mesh, and jaglets hosts do not form one yet;"
                + " give the host's URL instead (--host http://ADDRESS:PORT or --entry http://ADDRESS:PORT)");
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

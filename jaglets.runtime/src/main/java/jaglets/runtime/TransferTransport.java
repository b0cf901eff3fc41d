package jaglets.runtime;

import jaglets.api.JagletProxyRef;
import jaglets.protocol.Envelope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How this host reaches other hosts to move agents: the other side of {@link Transfers}.
 * Provided by the HTTP bundle; a host without it moves agents only within itself.
 */
public interface TransferTransport {

    /** What a preflight learns about a target. */
    record TargetInfo(String name, String url, List<String> capabilities, String codeVersion) {
        public TargetInfo {
            capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        }
    }

    /** The URL of a host given by mesh name or URL. */
    String resolve(String destination);

    /** Asks the host at {@code url} for its name, capabilities and code version. */
    TargetInfo describe(String url, Duration timeout);

    /**
     * The name of the host at {@code url} if the mesh heard from it within the last moments:
     * enough for a move that asks nothing else of its target, without a call to it.
     */
    Optional<String> onlineName(String url);

    /**
     * Whether the host at {@code url} holds a bundle that runs an agent needing {@code code}: its
     * exact version, or one its declared compatibility admits ({@link RequiredCode#chooseFrom}).
     */
    boolean hasBundle(String url, RequiredCode code, Duration timeout);

    void prepare(String url, Envelope envelope, Duration timeout);

    /** Commits; {@code null} when the target no longer knows the transfer. */
    JagletProxyRef commit(String url, String transferId, Duration settle, Duration timeout);

    void abort(String url, String transferId, Duration timeout);

    Transfers.Phase phase(String url, String transferId, Duration timeout);

    /** Downloads a bundle jar from {@code url} to a temporary file, or fails. */
    Path fetchBundle(String url, String symbolicName, String version, Duration timeout);

    /** Whether code may be fetched from this host: the mesh shares an API key, or it is on loopback. */
    boolean mayFetchCodeFrom(String url);

    /** Asks the host at {@code url} to move one of its agents to {@code targetUrl} (a retract). */
    JagletProxyRef requestRetract(String url, String agentId, String targetUrl, Duration timeout);
}

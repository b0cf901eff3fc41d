package jaglets.runtime;

import jaglets.api.JagletProxyRef;
import jaglets.protocol.Envelope;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The receiving and answering side of agent movement, served to other hosts by the transport.
 * A hand-over has two steps: {@link #prepare} stores the arriving agent durably; the source then
 * releases its copy and calls {@link #commit}, which brings the agent to life here
 * ({@code onArrival} or {@code onClone}, then {@code run()}) or stores it inactive. Until the
 * commit the arriving copy is never the live one: a host that restarts with a prepared arrival
 * asks the source which way the hand-over went.
 */
public interface Transfers {

    /** What a host knows about one transfer. */
    enum Phase {
        /** The source holds the agent and has offered it; no decision yet. */
        OFFERED,
        /** The source has released the agent: the hand-over must complete at the target. */
        RELEASED,
        /** The target has stored the arriving agent and waits for the decision. */
        PREPARED,
        /** Nothing: never seen, aborted, or completed and forgotten. */
        UNKNOWN;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Stores an arriving agent; repeating it for the same transfer id is harmless. {@code smile}
     * is the Smile encoding the envelope arrived as, or {@code null}: a host stores those bytes
     * rather than encode the envelope again.
     */
    void prepare(Envelope envelope, byte[] smile);

    /** {@link #prepare(Envelope, byte[])} for an envelope that did not arrive encoded. */
    default void prepare(Envelope envelope) {
        prepare(envelope, null);
    }

    /**
     * Makes a prepared arrival live and returns where the agent is after waiting up to
     * {@code settle} for its {@code run()} to return or for it to move on. A transfer this host
     * does not know (already committed and forgotten) answers {@code null}.
     */
    JagletProxyRef commit(String transferId, Duration settle);

    /** Drops a prepared arrival; unknown ids are ignored. */
    void abort(String transferId);

    Phase phase(String transferId);

    /** The jar of an agent bundle version this host holds, for a host that lacks it. */
    Path bundleJar(String symbolicName, String version);
}

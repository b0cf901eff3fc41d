package jaglets.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the host offers an agent. Inside a child JVM every call is forwarded to the host.
 */
public interface JagletContext {

    String hostName();

    String hostAddress();

    /** The id of the agent this context belongs to. */
    String agentId();

    /** A proxy for an agent on this host, active or inactive. */
    Optional<JagletProxy> proxy(String agentId);

    /** Proxies for the agents on this host. */
    List<JagletProxy> proxies(AgentStatus which);

    /** Resolves a stored reference into a proxy. */
    JagletProxy resolve(JagletProxyRef ref);

    /**
     * Creates an agent on this host.
     *
     * @param className the agent class, listed in a deployed bundle's {@code Jaglet-Classes}
     * @param bundleVersion the bundle version to use, or {@code null} for the newest
     * @param state its initial state (an object of its state class, or a map), or {@code null}
     * @param init the value handed to its {@link Jaglet#onCreation}
     */
    JagletProxy create(String className, String bundleVersion, Object state, Object init);

    /** Deactivates this agent now (hooks in the calling thread, record written); its JVM ends after the current handler. */
    void deactivate(DeactivationRequest request);

    /** Disposes this agent now (hook in the calling thread); its JVM ends after the current handler. */
    void dispose();

    /**
     * Moves this agent to another host (or this one): {@link Jaglet#onDispatching} and resource
     * cleanup run in the calling thread, then the host hands the agent over. On success the agent
     * lives at the returned proxy's host and this instance is finished: return from the handler
     * or {@code run()}. On failure the agent stays here, active, and the error says why.
     */
    JagletProxy dispatch(TransferTicket ticket);

    /**
     * Copies this agent, with a new id, to the ticket's host (this host when its destination is
     * {@code null}): {@link Jaglet#onCloning} runs here, {@link Jaglet#onClone} in the copy,
     * then {@link Jaglet#onCloned} here. Returns the copy.
     */
    JagletProxy cloneTo(TransferTicket ticket);

    /** Brings the agent behind {@code ref} from its host to this one; returns its local proxy. */
    JagletProxy retract(JagletProxyRef ref);

    /** The hosts of the mesh as this host knows them, itself included. */
    List<HostInfo> hosts();

    /**
     * Waits until a host is known and online.
     *
     * @throws JagletException of type {@link ErrorType#TIMEOUT} when it is not within {@code timeout}
     */
    HostInfo waitForHost(String nameOrUrl, Duration timeout);

    /** A host-wide property, shared by every agent on the host while it runs. */
    Optional<Object> property(String key);

    /** Sets a host-wide property; {@code null} removes it. */
    void setProperty(String key, Object value);

    /** This agent's scratch folder; kept across deactivation while the host runs. */
    Path workDir();

    /** Storage shared by every instance of this agent's class, with the host's default quota. */
    PersistentStorage persistentStorage();

    /** Storage shared by every instance of this agent's class, with its own quota in bytes. */
    PersistentStorage persistentStorage(long quotaBytes);

    /** Converts a JSON-shaped value (maps, lists, numbers...) into {@code type}. */
    <T> T convert(Object value, Class<T> type);
}

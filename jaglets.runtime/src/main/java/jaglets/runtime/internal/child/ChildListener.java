package jaglets.runtime.internal.child;

import com.fasterxml.jackson.databind.JsonNode;
import jaglets.protocol.RpcPeer;

/** What the host does with a child's calls, events and exit once the child runs an agent. */
public interface ChildListener {
    void onCall(ChildProcess child, String op, JsonNode body, RpcPeer.Reply reply);

    void onEvent(ChildProcess child, String op, JsonNode body);

    /** The child's process ended; {@code exitCode} is its exit status. */
    void onExit(ChildProcess child, int exitCode);
}

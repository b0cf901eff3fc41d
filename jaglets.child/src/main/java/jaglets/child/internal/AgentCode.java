package jaglets.child.internal;

import com.fasterxml.jackson.databind.JsonNode;

/** Where a child finds its agent's class. */
interface AgentCode {
    /** The agent class a load or arrival names (its {@code class_name} and {@code bundles}). */
    Class<?> agentClass(JsonNode load);

    /** Gets code ready ahead of need (a {@code preload} body); failures are left for the load. */
    void preload(JsonNode body);
}

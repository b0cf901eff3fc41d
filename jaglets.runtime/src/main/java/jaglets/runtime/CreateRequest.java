package jaglets.runtime;

/**
 * What a new agent is made of.
 *
 * @param className the agent class, listed by a deployed bundle's {@code Jaglet-Classes}
 * @param bundleVersion the bundle version to use, or {@code null} for the newest deployed one
 * @param agentId the id to give it, or {@code null} for a random one
 * @param state its initial state (a JSON tree, a map or an object of its state class), or {@code null}
 * @param init the value its {@code onCreation} hook receives
 */
public record CreateRequest(String className, String bundleVersion, String agentId, Object state, Object init) {

    public static CreateRequest of(String className) {
        return new CreateRequest(className, null, null, null, null);
    }

    public CreateRequest withState(Object newState) {
        return new CreateRequest(className, bundleVersion, agentId, newState, init);
    }

    public CreateRequest withAgentId(String id) {
        return new CreateRequest(className, bundleVersion, id, state, init);
    }

    public CreateRequest withBundleVersion(String version) {
        return new CreateRequest(className, version, agentId, state, init);
    }

    public CreateRequest withInit(Object newInit) {
        return new CreateRequest(className, bundleVersion, agentId, state, newInit);
    }
}

package jaglets.child.internal;

import com.fasterxml.jackson.databind.JsonNode;
import jaglets.api.ErrorType;
import jaglets.api.Jaglet;
import jaglets.api.JagletException;
import jaglets.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Bundle;

/** Agent classes from agent bundles, installed by reference into the child's framework. */
final class BundleCode implements AgentCode {
    private final ChildFramework framework;

    BundleCode(ChildFramework framework) {
        this.framework = framework;
    }

    @Override
    public Class<?> agentClass(JsonNode load) {
        String className = load.path("class_name").asText();
        List<Bundle> bundles = framework.install(paths(load.path("bundles")));
        Class<?> agentClass;
        try {
            agentClass = bundles.get(0).loadClass(className);
        } catch (ClassNotFoundException | IllegalStateException e) {
            throw new JagletException(ErrorType.CODE, "bundle " + bundles.get(0).getSymbolicName() + " "
                    + bundles.get(0).getVersion() + " cannot load class " + className + ": " + e.getMessage());
        }
        if (!Jaglet.class.isAssignableFrom(agentClass)) {
            throw new JagletException(ErrorType.CODE, className + " is not a Jaglet");
        }
        return agentClass;
    }

    /**
     * Installs and resolves agent bundles and loads their agent and state classes (with their
     * JSON mapping) before any agent needs them, so that a creation or activation in this child
     * finds its code ready.
     */
    @Override
    public void preload(JsonNode body) {
        for (JsonNode entry : body.path("bundles")) {
            try {
                Bundle bundle = framework.install(paths(entry.path("paths"))).get(0);
                for (JsonNode className : entry.path("classes")) {
                    Class<?> agentClass = bundle.loadClass(className.asText());
                    // linked and initialised now (its bytecode verified), not when the agent arrives
                    Class.forName(agentClass.getName(), true, agentClass.getClassLoader());
                    Jaglet.prepareClass(agentClass);
                    Class<?> stateClass = Jaglet.stateClassOf(agentClass);
                    Json.MAPPER.writerFor(stateClass);
                    try {
                        Json.toTree(AgentInstance.decodeState(null, stateClass));
                    } catch (RuntimeException e) {
                        // a state class without defaults: its mapping is still loaded
                    }
                }
            } catch (Exception | LinkageError e) {
                // not preloaded; the agent's own load installs what it needs
            }
        }
    }

    private static List<String> paths(JsonNode array) {
        List<String> paths = new ArrayList<>();
        array.forEach(p -> paths.add(p.asText()));
        return paths;
    }
}

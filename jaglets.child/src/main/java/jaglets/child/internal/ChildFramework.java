package jaglets.child.internal;

import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

/**
 * The child's minimal Felix: no SCR, no HTTP, no shell. Its system bundle exports the jaglets
 * API and Jackson from the class path (listed by the host in the system packages file), so agent
 * bundles wire to the very classes the child uses to run them.
 */
final class ChildFramework {
    private final Framework framework;

    private ChildFramework(Framework framework) {
        this.framework = framework;
    }

    static ChildFramework boot(Path childDir, Path systemPackagesFile) throws IOException, BundleException {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, childDir.resolve("felix").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, Files.readString(systemPackagesFile).trim());
        config.put("felix.log.level", "1");
        Framework framework = new org.apache.felix.framework.FrameworkFactory().newFramework(config);
        framework.init();
        framework.start();
        return new ChildFramework(framework);
    }

    /** Installs (once per location) and resolves the bundles; returns them in the given order. */
    List<Bundle> install(List<String> bundlePaths) {
        List<Bundle> bundles = new ArrayList<>();
        for (String path : bundlePaths) {
            String location = "reference:" + Path.of(path).toUri();
            try {
                Bundle existing = framework.getBundleContext().getBundle(location);
                bundles.add(existing != null ? existing : framework.getBundleContext().installBundle(location));
            } catch (BundleException e) {
                throw new JagletException(ErrorType.CODE, "cannot install agent bundle " + path + ": " + e.getMessage(), e);
            }
        }
        return bundles;
    }

    void stop() {
        try {
            framework.stop();
        } catch (BundleException e) {
            // exiting anyway
        }
    }
}

package jaglets.http.internal;

import jaglets.http.ApiKey;
import jaglets.http.HostClient;
import java.time.Duration;
import org.osgi.framework.BundleContext;

/**
 * This host's own API key, which the hosts of one mesh share: read from the environment
 * variable {@code jaglets.api.key.env} names, and sent on every call to another host.
 */
final class HostKey {
    /** How long a call to another host waits by default. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private HostKey() {
    }

    /** The key, or {@code null} when this host runs without one. */
    static String value(BundleContext context) {
        String variable = context.getProperty("jaglets.api.key.env");
        String key = System.getenv(variable == null || variable.isBlank() ? ApiKey.DEFAULT_VARIABLE : variable.trim());
        return key == null || key.isEmpty() ? null : key;
    }

    /** A client for other hosts that carries this host's key. */
    static HostClient client(BundleContext context) {
        return HostClient.create(value(context), CALL_TIMEOUT);
    }
}

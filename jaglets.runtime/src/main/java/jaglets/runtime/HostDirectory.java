package jaglets.runtime;

import jaglets.api.HostInfo;
import java.time.Duration;
import java.util.List;

/** The mesh as agents see it through their context. Provided where a mesh runs. */
public interface HostDirectory {

    List<HostInfo> hosts();

    HostInfo waitForHost(String nameOrUrl, Duration timeout);
}

package jaglets.runtime.internal.lifecycle;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A host's settings, each with its default documented in {@code docs/configuration.md}.
 *
 * @param poolSize pre-booted children kept ready (default 2)
 * @param childHeap maximum heap of each child JVM (default {@code 256m})
 * @param shutdownGrace how long each agent may take to deactivate at host shutdown before its
 *        last consistent state is stored instead (default 5 s)
 * @param operationTimeout how long lifecycle steps and synchronous sends wait (default 30 s)
 * @param storageQuotaBytes default quota of each class's persistent storage, -1 for none (10 MiB)
 * @param eventLogCapacity events kept for {@code events} (default 1000)
 * @param transferSettle how long a move waits for the arrived agent's {@code run()} to return
 *        or for it to move on, so that it can answer with the agent's final place (default 30 s)
 */
public record HostSettings(String name, String address, Path dataDir, Path cacheDir, int poolSize, String childHeap,
                           Duration shutdownGrace, Duration operationTimeout, long storageQuotaBytes,
                           int eventLogCapacity, Duration transferSettle) {
}

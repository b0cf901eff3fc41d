package jaglets.runtime;

/**
 * A host's health at a glance.
 *
 * @param pooledChildren pre-booted children ready for the next create or activation
 * @param childArchive whether children start from the recorded class-data archive
 */
public record HostHealth(String name, String address, int activeCount, int inactiveCount, int crashedCount,
                         int pooledChildren, boolean childArchive, String dataDir) {
}

package jaglets.runtime;

/**
 * A host's health at a glance.
 *
 * @param pooledChildren pre-booted children ready for the next create or activation
 * @param childArchive whether children start from the recorded class-data archive
 * @param capabilities what this host offers; a transfer ticket can require some of them
 */
public record HostHealth(String name, String address, int activeCount, int inactiveCount, int crashedCount,
                         int pooledChildren, boolean childArchive, String dataDir, java.util.List<String> capabilities) {
    public HostHealth {
        capabilities = capabilities == null ? java.util.List.of() : java.util.List.copyOf(capabilities);
    }
}

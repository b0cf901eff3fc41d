package jaglets.runtime.internal.lifecycle;

import jaglets.runtime.internal.storage.ClassStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Per-agent scratch folders: kept while the host runs (also across deactivation), removed on
 * disposal, all wiped when the host starts.
 */
final class WorkDirs {
    private final Path root;

    WorkDirs(Path root) {
        this.root = root;
    }

    void wipe() {
        ClassStorage.deleteTree(root);
    }

    Path create(String agentId) {
        Path dir = root.resolve(agentId);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    void delete(String agentId) {
        ClassStorage.deleteTree(root.resolve(agentId));
    }
}

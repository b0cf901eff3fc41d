package jaglets.runtime.internal.storage;

import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.PersistentStorage;
import jaglets.api.StorageStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * One agent class's persistent storage: a folder under the host's data folder with a byte quota.
 * Paths are relative to the root; absolute paths, {@code ..} steps and symbolic links that lead
 * out are refused. Writes are serialised per class so the quota check holds.
 */
public final class ClassStorage implements PersistentStorage {
    /** Quota value meaning "no limit". */
    public static final long UNLIMITED = -1;

    /** One lock per storage root, so quota checks and writes of one class do not interleave. */
    private static final ConcurrentHashMap<Path, Object> WRITE_LOCKS = new ConcurrentHashMap<>();

    private final Path root;
    private final long quotaBytes;

    public ClassStorage(Path root, long quotaBytes) {
        this.root = root.toAbsolutePath().normalize();
        this.quotaBytes = quotaBytes;
    }

    /** The folder name for a class: its name with characters other than letters, digits, {@code ._-} replaced. */
    public static String classKey(String className) {
        return className.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Resolves a relative path inside the root, refusing anything that leaves it. */
    public Path resolve(String relative) {
        if (relative == null || relative.isBlank()) {
            throw new JagletException(ErrorType.PATH, "a storage path must not be empty");
        }
        Path given = Path.of(relative);
        if (given.isAbsolute()) {
            throw new JagletException(ErrorType.PATH, "storage path '" + relative + "' is absolute; use a path inside the storage");
        }
        Path resolved = root.resolve(given).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw new JagletException(ErrorType.PATH, "storage path '" + relative + "' leaves the class storage");
        }
        try {
            // a symbolic link inside the root must not lead out of it either
            Path existing = resolved;
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (existing != null && existing.startsWith(root) && Files.exists(root)
                    && !existing.toRealPath().startsWith(root.toRealPath())) {
                throw new JagletException(ErrorType.PATH, "storage path '" + relative + "' leaves the class storage through a link");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return resolved;
    }

    @Override
    public byte[] readBytes(String path) {
        Path file = resolve(path);
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new JagletException(ErrorType.PATH, "no file '" + path + "' in the class storage");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void writeBytes(String path, byte[] data) {
        Path file = resolve(path);
        synchronized (WRITE_LOCKS.computeIfAbsent(root, r -> new Object())) {
            try {
                if (quotaBytes >= 0) {
                    long existing = Files.isRegularFile(file) ? Files.size(file) : 0;
                    long used = usedBytes();
                    if (used - existing + data.length > quotaBytes) {
                        throw new JagletException(ErrorType.STORAGE_QUOTA, "writing " + data.length + " bytes to '" + path
                                + "' would use " + (used - existing + data.length) + " bytes of a " + quotaBytes
                                + "-byte quota");
                    }
                }
                Files.createDirectories(file.getParent());
                Files.write(file, data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public boolean delete(String path) {
        Path target = resolve(path);
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        deleteTree(target);
        return true;
    }

    @Override
    public void clear() {
        if (Files.exists(root)) {
            try (Stream<Path> children = Files.list(root)) {
                children.forEach(ClassStorage::deleteTree);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public StorageStatus status() {
        long used = usedBytes();
        return new StorageStatus(root.toString(), used, quotaBytes,
                quotaBytes < 0 ? -1 : Math.max(0, quotaBytes - used));
    }

    private long usedBytes() {
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a file or folder tree, not following links. */
    public static void deleteTree(Path target) {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(target)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package jaglets.runtime.internal.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes that survive {@code kill -9} and power loss: a file is written to a temporary name,
 * forced to disk, renamed over the target, and the folder is forced too. Readers see the old
 * or the new content, never a torn one.
 */
public final class DurableFiles {
    /** Suffix of temporary files; a crash may leave them behind, and startup removes them. */
    public static final String TEMP_SUFFIX = ".tmp";

    private DurableFiles() {
    }

    public static void writeAtomically(Path target, byte[] content) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve(target.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + TEMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        forceDirectory(dir);
    }

    /** Appends one record and forces it to disk before returning. */
    public static void appendDurably(Path target, byte[] line) throws IOException {
        Files.createDirectories(target.getParent());
        boolean created = !Files.exists(target);
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        }
        if (created) {
            forceDirectory(target.getParent());
        }
    }

    public static void deleteDurably(Path target) throws IOException {
        if (Files.deleteIfExists(target)) {
            forceDirectory(target.getParent());
        }
    }

    /**
     * The names of the files in {@code dir} that end with {@code suffix}, the suffix cut off;
     * temporary files an interrupted write left behind are removed on the way.
     */
    public static List<String> scanNames(Path dir, String suffix) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.endsWith(TEMP_SUFFIX)) {
                    Files.deleteIfExists(entry);
                } else if (name.endsWith(suffix)) {
                    names.add(name.substring(0, name.length() - suffix.length()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /** Forces a folder's entries (new names, renames, deletions) to disk. */
    public static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems refuse to open folders; their rename is still atomic
            if (!System.getProperty("os.name", "").toLowerCase().contains("win")) {
                throw e;
            }
        }
    }
}

package jaglets.api;

import java.nio.charset.StandardCharsets;

/**
 * Files shared by every instance of one agent class on one host; they survive restarts.
 * Paths are relative; one that leaves the storage root fails with {@link ErrorType#PATH}, a
 * write that would pass the quota with {@link ErrorType#STORAGE_QUOTA}.
 */
public interface PersistentStorage {

    byte[] readBytes(String path);

    void writeBytes(String path, byte[] data);

    default void writeText(String path, String text) {
        writeBytes(path, text.getBytes(StandardCharsets.UTF_8));
    }

    default String readText(String path) {
        return new String(readBytes(path), StandardCharsets.UTF_8);
    }

    /** Deletes a file or a folder; returns whether something was there. */
    boolean delete(String path);

    void clear();

    StorageStatus status();
}

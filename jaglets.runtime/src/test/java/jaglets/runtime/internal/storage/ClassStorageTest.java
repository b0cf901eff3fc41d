package jaglets.runtime.internal.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.StorageStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClassStorageTest {

    private static final long QUOTA = 100;

    @TempDir
    Path dir;

    private Path root;
    private ClassStorage storage;

    @BeforeEach
    void createStorage() {
        root = dir.resolve("storage").resolve(ClassStorage.classKey("com.example.Counter"));
        storage = new ClassStorage(root, QUOTA);
    }

    private static byte[] bytes(int count) {
        byte[] data = new byte[count];
        for (int i = 0; i < count; i++) {
            data[i] = (byte) i;
        }
        return data;
    }

    private static ErrorType errorOf(Runnable operation) {
        return assertThrows(JagletException.class, operation::run).type();
    }

    @Test
    void writtenBytesAndTextReadBack() {
        storage.writeBytes("data/blob.bin", bytes(10));
        storage.writeText("notes.txt", "héllo");

        assertArrayEquals(bytes(10), storage.readBytes("data/blob.bin"));
        assertEquals("héllo", storage.readText("notes.txt"));
        assertTrue(Files.isRegularFile(root.resolve("data/blob.bin")), "files live under the class's root");
    }

    @Test
    void readingAMissingFileIsAPathError() {
        JagletException error = assertThrows(JagletException.class, () -> storage.readBytes("missing.txt"));
        assertEquals(ErrorType.PATH, error.type());
        assertTrue(error.getMessage().contains("missing.txt"), error.getMessage());
    }

    @Test
    void writePastTheQuotaFailsAndWritesNothing() {
        storage.writeBytes("a.bin", bytes(60));

        JagletException error = assertThrows(JagletException.class, () -> storage.writeBytes("b.bin", bytes(41)));

        assertEquals(ErrorType.STORAGE_QUOTA, error.type());
        assertTrue(error.getMessage().contains("101"), error.getMessage());
        assertFalse(Files.exists(root.resolve("b.bin")));
        assertEquals(60, storage.status().usedBytes());
    }

    @Test
    void writeUpToExactlyTheQuotaIsAllowed() {
        storage.writeBytes("a.bin", bytes(60));
        storage.writeBytes("b.bin", bytes(40));

        assertEquals(new StorageStatus(root.toString(), 100, QUOTA, 0), storage.status());
    }

    @Test
    void overwritingAFileCountsOnlyTheDifference() {
        storage.writeBytes("a.bin", bytes(90));

        storage.writeBytes("a.bin", bytes(100));

        assertEquals(100, storage.status().usedBytes());
        assertEquals(ErrorType.STORAGE_QUOTA, errorOf(() -> storage.writeBytes("a.bin", bytes(101))));
        assertArrayEquals(bytes(100), storage.readBytes("a.bin"), "a refused overwrite keeps the old content");
    }

    @Test
    void unlimitedStorageHasNoQuota() {
        ClassStorage unlimited = new ClassStorage(dir.resolve("unlimited"), ClassStorage.UNLIMITED);
        unlimited.writeBytes("big.bin", bytes(1000));

        StorageStatus status = unlimited.status();
        assertEquals(1000, status.usedBytes());
        assertEquals(-1, status.quotaBytes());
        assertEquals(-1, status.availableBytes());
    }

    @Test
    void statusReportsUsedAndAvailableBytesOverNestedFolders() {
        assertEquals(new StorageStatus(root.toString(), 0, QUOTA, QUOTA), storage.status(),
                "a storage nothing was written to is empty");

        storage.writeBytes("a.bin", bytes(10));
        storage.writeBytes("x/y/z.bin", bytes(15));

        assertEquals(new StorageStatus(root.toString(), 25, QUOTA, 75), storage.status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "..", "../escape.txt", "a/../../escape.txt", ".", "a/..", "/etc/passwd"})
    void pathsThatAreEmptyAbsoluteOrLeaveTheRootAreRefused(String path) {
        assertEquals(ErrorType.PATH, errorOf(() -> storage.writeBytes(path, bytes(1))));
        assertEquals(ErrorType.PATH, errorOf(() -> storage.readBytes(path)));
        assertEquals(ErrorType.PATH, errorOf(() -> storage.delete(path)));
        assertFalse(Files.exists(dir.resolve("storage").resolve("escape.txt")));
    }

    @Test
    void nullPathIsRefused() {
        assertEquals(ErrorType.PATH, errorOf(() -> storage.readBytes(null)));
    }

    @Test
    void dotDotStepsThatStayInsideTheRootAreAllowed() {
        storage.writeBytes("a/../b.txt", bytes(3));
        assertArrayEquals(bytes(3), storage.readBytes("b.txt"));
    }

    @Test
    void symbolicLinkInsideTheRootLeadingOutIsRefused() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        storage.writeBytes("placeholder", bytes(1)); // creates the root
        Files.createSymbolicLink(root.resolve("link"), outside);
        Files.createSymbolicLink(root.resolve("file-link"), outside.resolve("secret.txt"));

        assertEquals(ErrorType.PATH, errorOf(() -> storage.readBytes("link/secret.txt")));
        assertEquals(ErrorType.PATH, errorOf(() -> storage.writeBytes("link/new.txt", bytes(1))));
        assertEquals(ErrorType.PATH, errorOf(() -> storage.readBytes("file-link")));
        assertEquals(ErrorType.PATH, errorOf(() -> storage.writeBytes("file-link", bytes(1))));
        assertFalse(Files.exists(outside.resolve("new.txt")));
        assertEquals("secret", Files.readString(outside.resolve("secret.txt")));
    }

    @Test
    void symbolicLinkThatStaysInsideTheRootIsFollowed() throws IOException {
        storage.writeBytes("real/data.bin", bytes(4));
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));

        assertArrayEquals(bytes(4), storage.readBytes("alias/data.bin"));
    }

    @Test
    void deleteRemovesAFileOrAWholeFolder() {
        storage.writeBytes("keep.bin", bytes(1));
        storage.writeBytes("one.bin", bytes(2));
        storage.writeBytes("folder/a.bin", bytes(3));
        storage.writeBytes("folder/sub/b.bin", bytes(4));

        assertTrue(storage.delete("one.bin"));
        assertTrue(storage.delete("folder"));
        assertFalse(storage.delete("folder"), "nothing was there any more");

        assertFalse(Files.exists(root.resolve("one.bin")));
        assertFalse(Files.exists(root.resolve("folder")));
        assertEquals(1, storage.status().usedBytes());
    }

    @Test
    void clearEmptiesTheStorageButKeepsItsRoot() {
        storage.writeBytes("a.bin", bytes(5));
        storage.writeBytes("folder/b.bin", bytes(5));

        storage.clear();

        assertTrue(Files.isDirectory(root));
        assertEquals(0, storage.status().usedBytes());
        storage.writeBytes("again.bin", bytes((int) QUOTA)); // the whole quota is free again
    }

    @Test
    void clearOfAStorageNeverWrittenIsFine() {
        storage.clear();
        assertFalse(Files.exists(root));
    }

    @Test
    void classKeyKeepsSafeCharactersAndReplacesTheRest() {
        assertEquals("com.example.Counter", ClassStorage.classKey("com.example.Counter"));
        assertEquals("com.example.Outer_Inner", ClassStorage.classKey("com.example.Outer$Inner"));
        assertEquals("a_b_c-d_e", ClassStorage.classKey("a/b\\c-d e"));
        assertEquals("caf_", ClassStorage.classKey("café"));
    }
}

package jaglets.runtime.internal.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {

    @TempDir
    Path dir;

    private List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void atomicWriteReplacesTheContentAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("sub/record.json");

        DurableFiles.writeAtomically(target, bytes("first, and longer"));
        DurableFiles.writeAtomically(target, bytes("second"));

        assertEquals("second", Files.readString(target));
        assertEquals(List.of("record.json"), names(target.getParent()));
    }

    @Test
    void durableAppendAddsToTheEndAndCreatesTheFile() throws IOException {
        Path target = dir.resolve("q/agent.queue");

        DurableFiles.appendDurably(target, bytes("one\n"));
        DurableFiles.appendDurably(target, bytes("two\n"));

        assertEquals(List.of("one", "two"), Files.readAllLines(target));
    }

    @Test
    void durableDeleteOfAMissingFileIsFine() throws IOException {
        Path target = dir.resolve("gone.json");
        DurableFiles.writeAtomically(target, bytes("x"));

        DurableFiles.deleteDurably(target);
        DurableFiles.deleteDurably(target);

        assertFalse(Files.exists(target));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

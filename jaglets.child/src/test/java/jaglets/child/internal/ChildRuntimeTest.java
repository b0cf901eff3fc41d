package jaglets.child.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A child whose host is gone fails with the connection's own error rather than waiting. */
@Timeout(60)
class ChildRuntimeTest {

    @Test
    void aMissingHostSocketEndsTheChildWithItsConnectError(@TempDir Path dir) throws IOException {
        Path systemPackages = Files.writeString(dir.resolve("system-packages.txt"), "");
        String socket = dir.resolve("gone.sock").toString();
        // the connection is made beside the framework boot; its failure must still come out as the cause
        assertThrows(IOException.class, () -> ChildRuntime.serve(socket, "token", dir.resolve("child").toString(),
                systemPackages.toString(), false));
    }
}

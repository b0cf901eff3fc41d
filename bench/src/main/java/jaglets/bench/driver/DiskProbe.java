package jaglets.bench.driver;

import jaglets.bench.report.Samples;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * How long one durable write takes on the disk the hosts use, the way a host stores an inactive
 * record: write a temporary file, force it, rename it over the target, force the folder. A
 * deactivation cannot be faster than this.
 */
final class DiskProbe {
    private static final int WRITES = 30;
    private static final int RECORD_BYTES = 1500;

    private DiskProbe() {
    }

    static Map<String, Object> durableWrite(Path dir) throws IOException {
        Path probe = Files.createDirectories(dir.resolve("disk-probe"));
        Samples samples = new Samples();
        byte[] content = new byte[RECORD_BYTES];
        for (int i = 0; i < WRITES; i++) {
            Path temp = probe.resolve("record.json.tmp");
            long start = System.nanoTime();
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(content));
                channel.force(true);
            }
            Files.move(temp, probe.resolve("record.json"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel folder = FileChannel.open(probe, StandardOpenOption.READ)) {
                folder.force(true);
            }
            samples.add(System.nanoTime() - start);
        }
        Files.deleteIfExists(probe.resolve("record.json"));
        Files.deleteIfExists(probe);
        return samples.summary();
    }
}

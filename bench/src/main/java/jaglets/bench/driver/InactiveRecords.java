package jaglets.bench.driver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes many inactive agents out of one: copies a stored record {@code <id>.json} under new
 * ids, changing only its {@code agent_id} field and its file name. The seed record itself is
 * removed, so the folder ends with exactly {@code count} records.
 */
final class InactiveRecords {
    /** Agent ids a host accepts (they are file names too). */
    static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    private InactiveRecords() {
    }

    /** The id of copy {@code index}: {@code prefix} and six digits. */
    static String id(String prefix, int index) {
        return prefix + String.format("%06d", index);
    }

    /** Writes {@code count} records named {@link #id}; returns the seconds it took. */
    static double generate(Path inactiveDir, String seedId, String prefix, int count) throws IOException {
        long start = System.nanoTime();
        Path seed = inactiveDir.resolve(seedId + ".json");
        String record = Files.readString(seed, StandardCharsets.UTF_8);
        Matcher field = Pattern.compile("(\"agent_id\"\\s*:\\s*\")" + Pattern.quote(seedId) + "\"").matcher(record);
        if (!field.find()) {
            throw new IOException("no \"agent_id\": \"" + seedId + "\" field in " + seed);
        }
        String head = record.substring(0, field.end(1));
        String tail = record.substring(field.end() - 1);
        if (field.find()) {
            throw new IOException("more than one agent_id field in " + seed);
        }
        for (int i = 0; i < count; i++) {
            String id = id(prefix, i);
            if (!AGENT_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("'" + id + "' is not a valid agent id");
            }
            Files.writeString(inactiveDir.resolve(id + ".json"), head + id + tail, StandardCharsets.UTF_8);
        }
        for (String suffix : new String[] {".json", ".queue", ".wake"}) {
            Files.deleteIfExists(inactiveDir.resolve(seedId + suffix));
        }
        return (System.nanoTime() - start) / 1e9;
    }
}

package jaglets.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jaglets.bench.report.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InactiveRecordsTest {
    /** A record as the host stores it (pretty-printed), abridged. */
    private static final String SEED_RECORD = """
            {
              "schema_version" : 1,
              "agent_id" : "bench-seed",
              "class_name" : "jaglets.examples.EchoJaglet",
              "state" : { "count" : 1, "hooks" : [ "creation", "note: agent_id bench-seed" ] },
              "queued_messages" : [ ]
            }
            """;

    @Test
    void copiesTheSeedUnderNewIdsAndRemovesIt(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("bench-seed.json"), SEED_RECORD);
        InactiveRecords.generate(dir, "bench-seed", "idle-", 25);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(25, files.count());
        }
        assertFalse(Files.exists(dir.resolve("bench-seed.json")));
        Map<String, Object> copy = Json.parseObject(Files.readString(dir.resolve("idle-000017.json")));
        assertEquals("idle-000017", copy.get("agent_id"));
        assertEquals("jaglets.examples.EchoJaglet", copy.get("class_name"));
        assertEquals(Json.parseObject(SEED_RECORD).get("state"), copy.get("state"));
    }

    @Test
    void generatedIdsAreValidAgentIds() {
        assertTrue(InactiveRecords.AGENT_ID.matcher(InactiveRecords.id("idle-", 99_999)).matches());
        assertEquals("idle-000042", InactiveRecords.id("idle-", 42));
    }

    @Test
    void refusesARecordWithoutTheSeedId(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("bench-seed.json"), SEED_RECORD.replace("\"bench-seed\"", "\"other\""));
        assertThrows(IOException.class, () -> InactiveRecords.generate(dir, "bench-seed", "idle-", 3));
    }
}

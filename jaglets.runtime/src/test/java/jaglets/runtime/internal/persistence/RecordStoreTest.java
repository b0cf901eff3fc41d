package jaglets.runtime.internal.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.DeactivationPolicy;
import jaglets.api.DeactivationRequest;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.Message;
import jaglets.protocol.BundleCompatibility;
import jaglets.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordStoreTest {

    private static final String ID = "3f2c9a";
    private static final byte[] BLOB = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
    /** Times with millisecond precision: what the seconds-with-fraction format keeps. */
    private static final Instant DEACTIVATED_AT = Instant.ofEpochMilli(1_700_000_000_250L);
    private static final Instant WAKE_AT = Instant.ofEpochMilli(1_700_000_360_500L);

    @TempDir
    Path dir;

    private RecordStore store;

    @BeforeEach
    void openStore() {
        store = new RecordStore(dir.resolve("records"));
    }

    private static QueuedMessage queued(String messageId, String kind) {
        Message message = new Message(kind, Map.of("n", 1L, "who", "me"), "arg", "beta:7000", 7,
                1_700_000_100_125L, messageId);
        return new QueuedMessage(message, messageId.endsWith("oneway"), Instant.ofEpochMilli(1_700_000_200_375L));
    }

    /** A state as records hold it: JSON text, binary values in the tagged form. */
    private static JsonNode state() {
        try {
            return Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(Map.of(
                    "count", 42,
                    "nested", Map.of("list", List.of(1, "two", Map.of("deep", true)), "blob", BLOB),
                    "blob", BLOB)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static InactiveRecord record(DeactivationPolicy policy, List<QueuedMessage> messages) {
        DeactivationRequest request = new DeactivationRequest("maintenance", "host", policy,
                Map.of("ticket", "OPS-7"));
        return new InactiveRecord(ID, "com.example.Counter", "com.example.agents", "1.2.0", BundleCompatibility.MAJOR,
                state(), policy, request, DEACTIVATED_AT, messages);
    }

    private Path file(String suffix) {
        return store.dir().resolve(ID + suffix);
    }

    private List<String> messageIds(InactiveRecord record) {
        return record.queuedMessages().stream().map(q -> q.message().messageId()).toList();
    }

    @Test
    void writtenRecordReadsBackEqual() {
        InactiveRecord written = record(DeactivationPolicy.DEFAULT.withActivateAt(WAKE_AT),
                List.of(queued("m1", "inc"), queued("m2-oneway", "log")));

        store.write(written);

        assertEquals(written, store.read(ID));
        assertTrue(store.exists(ID));
    }

    @Test
    void aRecordWrittenBeforeTheCompatibilityPolicyNeedsItsExactVersion() throws IOException {
        store.write(record(DeactivationPolicy.DEFAULT, List.of()));
        ObjectNode node = (ObjectNode) Json.MAPPER.readTree(file(".json").toFile());
        ((ObjectNode) node.get("bundle")).remove("compatibility");
        Files.write(file(".json"), Json.MAPPER.writeValueAsBytes(node));

        InactiveRecord read = store.read(ID);

        assertEquals(BundleCompatibility.EXACT, read.bundleCompatibility());
        assertEquals("1.2.0", read.bundleVersion());
    }

    @Test
    void binaryValuesInTheStateStayBinary() {
        store.write(record(DeactivationPolicy.DEFAULT, List.of()));

        JsonNode state = store.read(ID).state();
        assertEquals(Json.BINARY_TAG, state.get("blob").fieldNames().next());
        Map<?, ?> plain = (Map<?, ?>) Json.toPlain(state);
        assertArrayEquals(BLOB, (byte[]) plain.get("blob"));
        assertArrayEquals(BLOB, (byte[]) ((Map<?, ?>) plain.get("nested")).get("blob"));
    }

    @Test
    void queuedMessagesFollowTheRecordsOwnAndDuplicatesAreDropped() {
        store.write(record(DeactivationPolicy.DEFAULT, List.of(queued("m1", "a"), queued("m2", "b"))));

        store.appendQueued(ID, queued("m2", "b"));
        store.appendQueued(ID, queued("m3", "c"));
        store.appendQueued(ID, queued("m3", "c"));
        store.appendQueued(ID, queued("m4-oneway", "d"));

        InactiveRecord read = store.read(ID);
        assertEquals(List.of("m1", "m2", "m3", "m4-oneway"), messageIds(read));
        assertEquals(queued("m3", "c"), read.queuedMessages().get(2));
        assertTrue(read.queuedMessages().get(3).oneway());
    }

    @Test
    void tornLastLineOfTheQueueIsIgnored() throws IOException {
        store.write(record(DeactivationPolicy.DEFAULT, List.of()));
        store.appendQueued(ID, queued("m1", "a"));
        appendTornLine();

        assertEquals(List.of("m1"), messageIds(store.read(ID)));
    }

    @Test
    void messageQueuedAfterATornLineIsKept() throws IOException {
        // a crash cut the last append short; the host restarted and queued another message
        store.write(record(DeactivationPolicy.DEFAULT, List.of()));
        store.appendQueued(ID, queued("m1", "a"));
        appendTornLine();

        store.appendQueued(ID, queued("m2", "b"));

        assertEquals(List.of("m1", "m2"), messageIds(store.read(ID)));
    }

    @Test
    void tornLineCutInsideAMultiByteCharacterIsIgnored() throws IOException {
        store.write(record(DeactivationPolicy.DEFAULT, List.of()));
        store.appendQueued(ID, queued("m1", "a"));
        QueuedMessage text = new QueuedMessage(Message.of("greet", "日本語"), false, DEACTIVATED_AT);
        byte[] line = Json.MAPPER.writeValueAsString(RecordStore.queuedToJson(text)).getBytes(StandardCharsets.UTF_8);
        int cut = new String(line, StandardCharsets.UTF_8).indexOf('日') + 1; // ASCII before it: chars == bytes
        Files.write(file(".queue"), Arrays.copyOf(line, cut), StandardOpenOption.APPEND);

        assertEquals(List.of("m1"), messageIds(store.read(ID)), "the torn line must not make the queue unreadable");
    }

    private void appendTornLine() throws IOException {
        String line = Json.MAPPER.writeValueAsString(RecordStore.queuedToJson(queued("torn", "x")));
        Files.write(file(".queue"), line.substring(0, line.length() / 2).getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
    }

    @Test
    void writeFoldsTheQueueIntoTheRecordAndRemovesTheQueueFile() {
        store.write(record(DeactivationPolicy.DEFAULT, List.of(queued("m1", "a"))));
        store.appendQueued(ID, queued("m2", "b"));
        assertTrue(Files.exists(file(".queue")));

        store.write(store.read(ID));

        assertFalse(Files.exists(file(".queue")));
        assertEquals(List.of("m1", "m2"), messageIds(store.read(ID)));
    }

    @Test
    void policyThatWakesOnStartupLeavesAWakeMarker() {
        store.write(record(DeactivationPolicy.DEFAULT.withActivateOnStartup(true), List.of()));

        assertTrue(Files.exists(file(".wake")));
        assertEquals(Map.of(ID, new RecordStore.Wake(true, null)), store.scanWakes());
    }

    @Test
    void policyWithATimerLeavesAWakeMarkerWithItsInstant() {
        store.write(record(DeactivationPolicy.DEFAULT.withActivateAt(WAKE_AT), List.of()));

        assertEquals(Map.of(ID, new RecordStore.Wake(false, WAKE_AT)), store.scanWakes());
    }

    @Test
    void policyThatNeverWakesByItselfHasNoWakeMarker() {
        store.write(record(DeactivationPolicy.DEFAULT.withActivateOnStartup(true), List.of()));

        store.write(record(DeactivationPolicy.DEFAULT, List.of()));

        assertFalse(Files.exists(file(".wake")), "rewriting with a passive policy must remove the marker");
        assertEquals(Map.of(), store.scanWakes());
    }

    @Test
    void scanIdsListsRecordsAndDeletesTemporaryLeftovers() throws IOException {
        store.write(record(DeactivationPolicy.DEFAULT.withActivateOnStartup(true), List.of()));
        store.appendQueued("queue-only", queued("m1", "a"));
        Path leftoverRecord = Files.writeString(store.dir().resolve("other.json.1a2b3c4d" + DurableFiles.TEMP_SUFFIX), "{");
        Path leftoverWake = Files.writeString(store.dir().resolve(ID + ".wake.9f8e7d6c" + DurableFiles.TEMP_SUFFIX), "{");

        assertEquals(List.of(ID), store.scanIds());

        assertFalse(Files.exists(leftoverRecord));
        assertFalse(Files.exists(leftoverWake));
    }

    @Test
    void scanWakesDropsAMarkerWhoseRecordIsGone() throws IOException {
        store.write(record(DeactivationPolicy.DEFAULT.withActivateOnStartup(true), List.of()));
        Files.delete(file(".json"));

        assertEquals(Map.of(), store.scanWakes());
        assertFalse(Files.exists(file(".wake")));
    }

    @Test
    void deleteRemovesRecordQueueAndWakeMarker() throws IOException {
        store.write(record(DeactivationPolicy.DEFAULT.withActivateOnStartup(true), List.of()));
        store.appendQueued(ID, queued("m1", "a"));

        store.delete(ID);

        assertFalse(store.exists(ID));
        try (Stream<Path> left = Files.list(store.dir())) {
            assertEquals(List.of(), left.toList());
        }
        store.delete(ID); // deleting what is gone is not an error
    }

    @Test
    void readingAnUnknownAgentIsAnInvalidAgentError() {
        JagletException error = assertThrows(JagletException.class, () -> store.read("nobody"));
        assertEquals(ErrorType.INVALID_AGENT, error.type());
        assertTrue(error.getMessage().contains("nobody"), error.getMessage());
    }

    @Test
    void recordOfAnUnknownSchemaVersionIsRefusedSayingWhichVersions() throws IOException {
        store.write(record(DeactivationPolicy.DEFAULT, List.of()));
        ObjectNode node = (ObjectNode) Json.MAPPER.readTree(file(".json").toFile());
        node.put("schema_version", 99);
        Files.write(file(".json"), Json.MAPPER.writeValueAsBytes(node));

        JagletException error = assertThrows(JagletException.class, () -> store.read(ID));

        assertEquals(ErrorType.HOST, error.type());
        assertTrue(error.getMessage().contains("schema 99"), error.getMessage());
        assertTrue(error.getMessage().contains("expected " + RecordStore.SCHEMA_VERSION), error.getMessage());
    }

    @Test
    void unreadableRecordIsAHostErrorNamingTheAgent() throws IOException {
        Files.writeString(file(".json"), "{\"schema_version\": 1, \"agent_id\": ");

        JagletException error = assertThrows(JagletException.class, () -> store.read(ID));

        assertEquals(ErrorType.HOST, error.type());
        assertTrue(error.getMessage().contains(ID), error.getMessage());
    }
}

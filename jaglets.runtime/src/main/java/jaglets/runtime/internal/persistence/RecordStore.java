package jaglets.runtime.internal.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.DeactivationPolicy;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.protocol.BundleCompatibility;
import jaglets.protocol.Json;
import jaglets.protocol.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Inactive agents on disk, one folder per host:
 * <ul>
 * <li>{@code <id>.json}: the record, replaced atomically;</li>
 * <li>{@code <id>.queue}: messages queued since, one JSON line each, appended and forced before
 *     the sender is told "queued" (a torn last line was never acknowledged and is skipped);</li>
 * <li>{@code <id>.wake}: present when the policy wakes the agent by itself (startup or timer), so
 *     a host with many inactive agents reads only these at startup.</li>
 * </ul>
 */
public final class RecordStore {
    public static final int SCHEMA_VERSION = 1;
    private static final String RECORD = ".json";
    private static final String QUEUE = ".queue";
    private static final String WAKE = ".wake";

    /** When an inactive agent wakes by itself. */
    public record Wake(boolean onStartup, Instant at) {
    }

    private final Path dir;

    public RecordStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Ids of every stored record; removes temporary files a crash left behind. */
    public List<String> scanIds() {
        return DurableFiles.scanNames(dir, RECORD);
    }

    /** Wake markers of every record that has one. */
    public Map<String, Wake> scanWakes() {
        Map<String, Wake> wakes = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + WAKE)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                String id = name.substring(0, name.length() - WAKE.length());
                if (!Files.exists(dir.resolve(id + RECORD))) {
                    Files.deleteIfExists(entry); // the record was deleted after the marker was written
                    continue;
                }
                JsonNode node = Json.MAPPER.readTree(entry.toFile());
                JsonNode at = node.get("activate_at");
                wakes.put(id, new Wake(node.path("activate_on_startup").asBoolean(),
                        at == null || at.isNull() ? null : Instant.ofEpochMilli(Math.round(at.doubleValue() * 1000))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return wakes;
    }

    public boolean exists(String agentId) {
        return Files.exists(recordFile(agentId));
    }

    /** Stores a record (its queued messages included) and clears the separate queue. */
    public void write(InactiveRecord record) {
        String id = record.agentId();
        try {
            DeactivationPolicy policy = record.policy();
            Path wake = dir.resolve(id + WAKE);
            if (policy.activateOnStartup() || policy.activateAt() != null) {
                DurableFiles.writeAtomically(wake, Json.MAPPER.writeValueAsBytes(WireFormat.policy(policy)));
            } else {
                DurableFiles.deleteDurably(wake);
            }
            DurableFiles.writeAtomically(recordFile(id), Json.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(toJson(record)));
            // every message of the old queue is in the new record, which readers dedupe by id
            DurableFiles.deleteDurably(queueFile(id));
        } catch (IOException e) {
            throw new JagletException(ErrorType.HOST, "could not store agent " + id + ": " + e.getMessage(), e);
        }
    }

    /** Reads a record with every message queued since it was written. */
    public InactiveRecord read(String agentId) {
        try {
            JsonNode node = Json.MAPPER.readTree(Files.readAllBytes(recordFile(agentId)));
            InactiveRecord record = fromJson(node);
            List<QueuedMessage> queued = new ArrayList<>(record.queuedMessages());
            Set<String> seen = new HashSet<>();
            queued.forEach(q -> seen.add(q.message().messageId()));
            for (QueuedMessage q : readQueue(agentId)) {
                if (seen.add(q.message().messageId())) {
                    queued.add(q);
                }
            }
            return record.withQueuedMessages(queued);
        } catch (NoSuchFileException e) {
            throw new JagletException(ErrorType.INVALID_AGENT, "no inactive agent '" + agentId + "' on this host");
        } catch (IOException | RuntimeException e) {
            if (e instanceof JagletException je) {
                throw je;
            }
            throw new JagletException(ErrorType.HOST, "the record of agent " + agentId + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** Appends a queued message; returns once it is on disk. */
    public void appendQueued(String agentId, QueuedMessage message) {
        try {
            Path file = queueFile(agentId);
            // after a torn append the file ends mid-line: start a new one, or this message would be
            // glued to the torn line and skipped with it
            String separator = endsMidLine(file) ? "\n" : "";
            byte[] line = (separator + Json.MAPPER.writeValueAsString(queuedToJson(message)) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            DurableFiles.appendDurably(file, line);
        } catch (IOException e) {
            throw new JagletException(ErrorType.HOST, "could not queue a message for " + agentId + ": " + e.getMessage(), e);
        }
    }

    /** Removes the record, its queue and its wake marker. */
    public void delete(String agentId) {
        try {
            DurableFiles.deleteDurably(recordFile(agentId));
            DurableFiles.deleteDurably(queueFile(agentId));
            DurableFiles.deleteDurably(dir.resolve(agentId + WAKE));
        } catch (IOException e) {
            throw new JagletException(ErrorType.HOST, "could not delete the record of " + agentId + ": " + e.getMessage(), e);
        }
    }

    private List<QueuedMessage> readQueue(String agentId) throws IOException {
        Path file = queueFile(agentId);
        if (!Files.exists(file)) {
            return List.of();
        }
        List<QueuedMessage> messages = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        // decoded leniently: a torn line may end inside a multi-byte character
        for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                QueuedMessage q = queuedFromJson(Json.MAPPER.readTree(line));
                if (ids.add(q.message().messageId())) {
                    messages.add(q);
                }
            } catch (IOException | RuntimeException torn) {
                // a line cut by a crash was never acknowledged to its sender
            }
        }
        return messages;
    }

    private static boolean endsMidLine(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                return false;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, size - 1);
            return last.get(0) != '\n';
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private Path recordFile(String agentId) {
        return dir.resolve(agentId + RECORD);
    }

    private Path queueFile(String agentId) {
        return dir.resolve(agentId + QUEUE);
    }

    static ObjectNode toJson(InactiveRecord r) {
        ObjectNode node = Json.object();
        node.put("schema_version", SCHEMA_VERSION);
        node.put("agent_id", r.agentId());
        node.put("class_name", r.className());
        ObjectNode bundle = node.putObject("bundle");
        bundle.put("symbolic_name", r.bundleSymbolicName());
        bundle.put("version", r.bundleVersion());
        bundle.put("compatibility", r.bundleCompatibility().wireName());
        node.set("state", r.state());
        node.set("policy", WireFormat.policy(r.policy()));
        node.set("request", WireFormat.request(r.request()));
        node.put("deactivated_at", r.deactivatedAt().toEpochMilli() / 1000.0);
        ArrayNode queued = node.putArray("queued_messages");
        r.queuedMessages().forEach(q -> queued.add(queuedToJson(q)));
        return node;
    }

    static InactiveRecord fromJson(JsonNode node) {
        int schema = node.path("schema_version").asInt();
        if (schema != SCHEMA_VERSION) {
            throw new JagletException(ErrorType.HOST, "record schema " + schema + " is not supported (expected "
                    + SCHEMA_VERSION + ")");
        }
        List<QueuedMessage> queued = new ArrayList<>();
        node.path("queued_messages").forEach(q -> queued.add(queuedFromJson(q)));
        JsonNode bundle = node.path("bundle");
        // records written before hosts knew the policy have no compatibility: they need their exact version
        return new InactiveRecord(node.path("agent_id").asText(), node.path("class_name").asText(),
                bundle.path("symbolic_name").asText(), bundle.path("version").asText(),
                BundleCompatibility.fromWire(bundle.path("compatibility").asText(null)), node.get("state"),
                WireFormat.policy(node.get("policy")), WireFormat.request(node.get("request")),
                Instant.ofEpochMilli(Math.round(node.path("deactivated_at").asDouble() * 1000)), queued);
    }

    static ObjectNode queuedToJson(QueuedMessage q) {
        ObjectNode node = Json.object();
        node.set("message", WireFormat.message(q.message()));
        node.put("oneway", q.oneway());
        node.put("queued_at", q.queuedAt().toEpochMilli() / 1000.0);
        return node;
    }

    static QueuedMessage queuedFromJson(JsonNode node) {
        return new QueuedMessage(WireFormat.message(node.get("message")), node.path("oneway").asBoolean(),
                Instant.ofEpochMilli(Math.round(node.path("queued_at").asDouble() * 1000)));
    }
}

package jaglets.runtime.internal.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.DeactivationPolicy;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.protocol.Envelope;
import jaglets.protocol.Json;
import jaglets.protocol.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The durable side of movement, files named by transfer id, written like inactive records
 * (temporary file, fsync, rename, folder fsync) but in Smile ({@link Json#BINARY}), so a state
 * of megabytes of bytes is stored as those bytes:
 * <ul>
 * <li>{@code out/<id>.envelope} at the source: the agent as it left (envelope) and its target,
 *     written before the target is asked when the agent rests on disk here (it was inactive,
 *     or its record still waits for replayed messages), so a source that restarts can take it
 *     back; an agent that only lives in its child needs none;</li>
 * <li>{@code out/<id>.released} at the source: the decision that the source gave the agent up
 *     (its envelope without state, and the target), so a restarted source finishes the
 *     hand-over instead.</li>
 * <li>{@code in/<id>.envelope} at the target: the arrived envelope, waiting for the source's
 *     decision; renamed to {@code in/<id>.committed} when the source released it, so a restarted
 *     target brings the agent to life without asking; removed, durably, once the agent landed
 *     (the source forgets the transfer only after that).</li>
 * </ul>
 * Only the envelope files carry state; the markers are a rename or an empty file.
 */
public final class TransferStore {
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final String ENVELOPE = ".envelope";
    private static final String RELEASED = ".released";
    private static final String COMMITTED = ".committed";

    /**
     * The source's record of one hand-over.
     *
     * @param restingPolicy the policy of an agent that was inactive before it was woken to
     *        leave, so that a move that does not happen puts it back to rest; {@code null} for
     *        an agent that was active
     */
    public record Outgoing(String targetUrl, Envelope envelope, boolean released, DeactivationPolicy restingPolicy) {
    }

    /** The target's record of one arrival. */
    public record Incoming(Envelope envelope, boolean committed) {
    }

    private final Path outDir;
    private final Path inDir;

    public TransferStore(Path dir) {
        this.outDir = dir.resolve("out");
        this.inDir = dir.resolve("in");
        try {
            Files.createDirectories(outDir);
            Files.createDirectories(inDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void checkId(String transferId) {
        if (transferId == null || !SAFE_ID.matcher(transferId).matches()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "a transfer id is 1 to 128 letters, digits, '-' or '_'");
        }
    }

    // ---- source side ----------------------------------------------------------------------------

    /** Stores the source's copy; {@code released} when the decision is taken in the same write (clones). */
    public void writeOffer(String targetUrl, Envelope envelope, boolean released, DeactivationPolicy restingPolicy) {
        ObjectNode node = Json.object();
        node.put("target_url", targetUrl);
        node.put("released", released);
        if (restingPolicy != null) {
            node.set("resting_policy", WireFormat.policy(restingPolicy));
        }
        node.set("envelope", envelope.toWire());
        write(outDir.resolve(file(envelope.transferId(), ENVELOPE)), node);
    }

    /** The decision: the source gave the agent up. Holds the envelope without its state. */
    public void markReleased(String targetUrl, Envelope envelope) {
        ObjectNode node = Json.object();
        node.put("target_url", targetUrl);
        node.set("envelope", envelope.withoutState().toWire());
        write(outDir.resolve(file(envelope.transferId(), RELEASED)), node);
    }

    /** The source's knowledge of a transfer, if it has any. */
    public Optional<Outgoing> readOutgoing(String transferId) {
        Optional<Outgoing> offered = read(outDir.resolve(file(transferId, ENVELOPE))).map(node -> outgoing(transferId, node));
        if (offered.isPresent()) {
            return offered;
        }
        return read(outDir.resolve(file(transferId, RELEASED))).map(node -> new Outgoing(node.path("target_url").asText(),
                Envelope.fromWire(node.get("envelope")), true, null));
    }

    public List<Outgoing> scanOutgoing() {
        List<Outgoing> found = new ArrayList<>();
        java.util.Set<String> ids = new java.util.LinkedHashSet<>(DurableFiles.scanNames(outDir, ENVELOPE));
        ids.addAll(DurableFiles.scanNames(outDir, RELEASED));
        for (String id : ids) {
            try {
                readOutgoing(id).ifPresent(found::add);
            } catch (JagletException e) {
                // unreadable: left on disk for an operator, never guessed at
            }
        }
        return found;
    }

    public void deleteOutgoing(String transferId) {
        delete(outDir.resolve(file(transferId, RELEASED)));
        delete(outDir.resolve(file(transferId, ENVELOPE)));
    }

    private Outgoing outgoing(String transferId, JsonNode node) {
        return new Outgoing(node.path("target_url").asText(), Envelope.fromWire(node.get("envelope")),
                node.path("released").asBoolean() || Files.exists(outDir.resolve(file(transferId, RELEASED))),
                WireFormat.policy(node.get("resting_policy")));
    }

    // ---- target side ----------------------------------------------------------------------------

    /**
     * Stores an arriving envelope: {@code smile}, the Smile bytes it was decoded from, as they
     * are (no second encoding of a large state), else its encoding.
     */
    public void writeIncoming(Envelope envelope, byte[] smile) {
        Path target = inDir.resolve(file(envelope.transferId(), ENVELOPE));
        if (smile == null) {
            write(target, envelope.toWire());
        } else {
            write(target, smile);
        }
    }

    /**
     * The source released the agent: from now on this host must bring it to life. A hint for a
     * restart, not the decision (the source holds that until this host confirms the landing), so
     * the rename is not forced to disk: should a power cut undo it, the restarted host asks the
     * source, as for any arrival that was only prepared.
     */
    public void markCommitted(String transferId) {
        Path from = inDir.resolve(file(transferId, ENVELOPE));
        try {
            Files.move(from, inDir.resolve(file(transferId, COMMITTED)), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new JagletException(ErrorType.HOST, "could not commit transfer " + transferId + ": " + e.getMessage(), e);
        }
    }

    public Optional<Incoming> readIncoming(String transferId) {
        Optional<JsonNode> committed = read(inDir.resolve(file(transferId, COMMITTED)));
        if (committed.isPresent()) {
            return Optional.of(new Incoming(Envelope.fromWire(committed.get()), true));
        }
        return read(inDir.resolve(file(transferId, ENVELOPE))).map(node -> new Incoming(Envelope.fromWire(node), false));
    }

    public List<Incoming> scanIncoming() {
        List<Incoming> found = new ArrayList<>();
        java.util.Set<String> ids = new java.util.LinkedHashSet<>(DurableFiles.scanNames(inDir, COMMITTED));
        ids.addAll(DurableFiles.scanNames(inDir, ENVELOPE));
        for (String id : ids) {
            try {
                readIncoming(id).ifPresent(found::add);
            } catch (JagletException e) {
                // unreadable: left on disk for an operator
            }
        }
        return found;
    }

    public void deleteIncoming(String transferId) {
        delete(inDir.resolve(file(transferId, ENVELOPE)));
        delete(inDir.resolve(file(transferId, COMMITTED)));
    }

    // ---- files ----------------------------------------------------------------------------------

    private static String file(String transferId, String suffix) {
        checkId(transferId);
        return transferId + suffix;
    }

    private static void write(Path target, JsonNode node) {
        try {
            write(target, Json.BINARY.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new JagletException(ErrorType.HOST, "could not store " + target.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path target, byte[] bytes) {
        try {
            DurableFiles.writeAtomically(target, bytes);
        } catch (IOException e) {
            throw new JagletException(ErrorType.HOST, "could not store " + target.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private static Optional<JsonNode> read(Path file) {
        try {
            return Optional.of(Json.BINARY.readTree(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new JagletException(ErrorType.HOST, file.getFileName() + " is unreadable: " + e.getMessage(), e);
        }
    }

    private static void delete(Path file) {
        try {
            DurableFiles.deleteDurably(file);
        } catch (IOException e) {
            throw new JagletException(ErrorType.HOST, "could not delete " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }
}

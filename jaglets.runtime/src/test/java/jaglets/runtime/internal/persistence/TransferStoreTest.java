package jaglets.runtime.internal.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.ArrivalMode;
import jaglets.api.JagletException;
import jaglets.protocol.BundleCompatibility;
import jaglets.protocol.Envelope;
import jaglets.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferStoreTest {
    @TempDir
    Path dir;

    private static Envelope envelope(String transferId) {
        var state = Json.object();
        state.put("count", 3);
        return new Envelope(transferId, Envelope.Kind.DISPATCH, "agent-1", null, "x.Agent", "x.bundle", "1.0.0",
                "abc", BundleCompatibility.MAJOR, state, "alpha", "http://a", "beta", "http://b", ArrivalMode.INACTIVE);
    }

    @Test
    void anOfferIsReleasedByAMarkerAndSurvivesAReopen() {
        TransferStore store = new TransferStore(dir);
        store.writeOffer("http://b", envelope("t1"), false, jaglets.api.DeactivationPolicy.DEFAULT);
        assertFalse(store.readOutgoing("t1").orElseThrow().released());

        store.markReleased("http://b", envelope("t1"));

        TransferStore reopened = new TransferStore(dir);
        TransferStore.Outgoing outgoing = reopened.readOutgoing("t1").orElseThrow();
        assertTrue(outgoing.released());
        assertEquals("http://b", outgoing.targetUrl());
        assertEquals(3, outgoing.envelope().state().path("count").asInt());
        assertEquals(ArrivalMode.INACTIVE, outgoing.envelope().arrivalMode());
        assertEquals(BundleCompatibility.MAJOR, outgoing.envelope().bundleCompatibility());
        assertEquals(jaglets.api.DeactivationPolicy.DEFAULT, outgoing.restingPolicy());
        assertEquals(1, reopened.scanOutgoing().size());
        reopened.deleteOutgoing("t1");
        assertTrue(reopened.readOutgoing("t1").isEmpty());
        assertTrue(reopened.scanOutgoing().isEmpty());
    }

    @Test
    void aDecisionWithoutAnOfferNamesTheAgentAndItsTarget() {
        TransferStore store = new TransferStore(dir);
        store.markReleased("http://b", envelope("t4"));

        TransferStore.Outgoing outgoing = new TransferStore(dir).readOutgoing("t4").orElseThrow();
        assertTrue(outgoing.released());
        assertEquals("agent-1", outgoing.envelope().agentId());
        assertTrue(outgoing.envelope().state().isNull(), "the decision carries no state");
        assertEquals(1, store.scanOutgoing().size());
        store.deleteOutgoing("t4");
        assertTrue(store.scanOutgoing().isEmpty());
    }

    @Test
    void anArrivalIsCommittedByARenameAndScannedOnce() {
        TransferStore store = new TransferStore(dir);
        store.writeIncoming(envelope("t2"), null);
        assertFalse(store.readIncoming("t2").orElseThrow().committed());

        store.markCommitted("t2");

        assertTrue(store.readIncoming("t2").orElseThrow().committed());
        assertEquals(1, store.scanIncoming().size());
        store.deleteIncoming("t2");
        assertTrue(store.scanIncoming().isEmpty());
    }

    @Test
    void anArrivalReceivedAsSmileIsStoredAsReceived() throws Exception {
        TransferStore store = new TransferStore(dir);
        Envelope sent = envelope("t5");
        ObjectNode wire = sent.toWire();
        wire.put("from_a_newer_source", true); // what this host does not read still travels on with the bytes
        byte[] received = Json.BINARY.writeValueAsBytes(wire);

        store.writeIncoming(sent, received);

        assertArrayEquals(received, Files.readAllBytes(dir.resolve("in").resolve("t5.envelope")));
        assertEquals(sent, store.readIncoming("t5").orElseThrow().envelope());
    }

    @Test
    void leftoversOfInterruptedWritesAreIgnoredAndRemoved() throws Exception {
        TransferStore store = new TransferStore(dir);
        Path torn = dir.resolve("in").resolve("t3.envelope.1234abcd" + DurableFiles.TEMP_SUFFIX);
        Files.writeString(torn, "{\"format\":");
        assertTrue(store.scanIncoming().isEmpty());
        assertFalse(Files.exists(torn));
    }

    @Test
    void transferIdsCannotNameOtherFiles() {
        TransferStore store = new TransferStore(dir);
        assertThrows(JagletException.class, () -> store.readIncoming("../inactive/agent"));
        assertThrows(JagletException.class, () -> store.readOutgoing(""));
    }
}

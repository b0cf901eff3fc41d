package jaglets.runtime.internal.lifecycle;

import jaglets.api.DeactivationPolicy;
import jaglets.api.DeactivationRequest;
import jaglets.api.JagletProxyRef;
import jaglets.protocol.Envelope;
import jaglets.runtime.TransferTransport;
import jaglets.runtime.Transfers;
import jaglets.runtime.internal.events.EventLog;
import jaglets.runtime.internal.persistence.InactiveRecord;
import jaglets.runtime.internal.persistence.RecordStore;
import jaglets.runtime.internal.persistence.TransferStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes hand-overs that a crash or a cut link interrupted. At start, an offer this host never
 * released is taken back (the agent is stored here again, to be activated) and one it released
 * is committed again; afterwards, commits that did not get through are retried, and arrivals
 * that waited too long ask their source. One named scheduler thread does all of it.
 */
final class TransferRecovery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransferRecovery.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(30);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final HostSettings settings;
    private final TransferStore transfers;
    private final RecordStore store;
    private final AgentTable table;
    private final EventLog events;
    private final Supplier<TransferTransport> transport;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(HostRuntime.named("jaglets-transfer-recovery"));
    private Arrivals arrivals;
    private java.util.function.Function<String, Transfers.Phase> localPhase;

    TransferRecovery(HostSettings settings, TransferStore transfers, RecordStore store, AgentTable table,
                     EventLog events, Supplier<TransferTransport> transport) {
        this.settings = settings;
        this.transfers = transfers;
        this.store = store;
        this.table = table;
        this.events = events;
        this.transport = transport;
    }

    /** The target side of this host, and how this host answers for the transfers it is the source of. */
    void useArrivals(Arrivals target, java.util.function.Function<String, Transfers.Phase> phaseHere) {
        this.arrivals = target;
        this.localPhase = phaseHere;
    }

    /**
     * Runs before the inactive records are scanned: agents of unreleased offers become records
     * again (woken at start), released ones are committed in the background.
     */
    void recoverOutgoing() {
        for (TransferStore.Outgoing outgoing : transfers.scanOutgoing()) {
            Envelope envelope = outgoing.envelope();
            AgentMoves.Target target = new AgentMoves.Target(outgoing.targetUrl(), envelope.targetHostName(),
                    outgoing.targetUrl().equals(settings.address()));
            if (outgoing.released()) {
                if (envelope.kind() != Envelope.Kind.CLONE) {
                    table.moved.moved(envelope.agentId(), new JagletProxyRef(outgoing.targetUrl(), envelope.agentId()));
                }
                commitLater(target, envelope.transferId());
            } else {
                takeBack(envelope, outgoing.restingPolicy());
                abortLater(target, envelope.transferId());
            }
        }
    }

    /** The agent goes back to how it was: at rest with its own policy, or active (woken at start). */
    private void takeBack(Envelope envelope, DeactivationPolicy restingPolicy) {
        DeactivationPolicy policy = restingPolicy != null ? restingPolicy
                : DeactivationPolicy.DEFAULT.withActivateOnStartup(true);
        store.write(new InactiveRecord(envelope.agentId(), envelope.className(), envelope.bundleSymbolicName(),
                envelope.bundleVersion(), envelope.bundleCompatibility(), envelope.state(), policy,
                new DeactivationRequest("transfer-aborted", "transfer", policy,
                        Map.of("transfer_id", envelope.transferId())),
                Instant.now(), List.of()));
        transfers.deleteOutgoing(envelope.transferId());
        events.emit("transfer-failed", envelope.agentId(), envelope.className(), null,
                Map.of("stage", "restart", "transfer_id", envelope.transferId()),
                "the host restarted before the hand-over; the agent stays here");
        LOG.info("transfer {} was not released before the restart: agent {} stays here", envelope.transferId(),
                envelope.agentId());
    }

    void start() {
        scheduler.scheduleWithFixedDelay(this::resolveStaleArrivals, 2, 2, TimeUnit.SECONDS);
    }

    private void resolveStaleArrivals() {
        try {
            arrivals.resolveStale(envelope -> sourcePhase(envelope.sourceHostAddress(), envelope.transferId()));
        } catch (RuntimeException e) {
            LOG.warn("resolving waiting arrivals failed: {}", e.toString());
        }
    }

    private Transfers.Phase sourcePhase(String sourceUrl, String transferId) {
        if (sourceUrl.equals(settings.address())) {
            return localPhase.apply(transferId);
        }
        TransferTransport remote = transport.get();
        if (remote == null) {
            throw new IllegalStateException("no transport");
        }
        return remote.phase(sourceUrl, transferId, CALL_TIMEOUT);
    }

    /** Tells a target to drop an arrival this host took back; a target that misses it asks later. */
    void abortLater(AgentMoves.Target target, String transferId) {
        scheduler.execute(() -> {
            try {
                if (target.local()) {
                    arrivals.abort(transferId);
                } else if (transport.get() != null) {
                    transport.get().abort(target.url(), transferId, CALL_TIMEOUT);
                }
            } catch (RuntimeException e) {
                LOG.debug("abort of transfer {} did not reach {}: {}", transferId, target.url(), e.getMessage());
            }
        });
    }

    /** Retries a commit until the target has it, with growing pauses; then forgets the transfer. */
    void commitLater(AgentMoves.Target target, String transferId) {
        scheduleCommit(target, transferId, FIRST_RETRY);
    }

    private void scheduleCommit(AgentMoves.Target target, String transferId, Duration pause) {
        if (scheduler.isShutdown()) {
            return;
        }
        scheduler.schedule(() -> {
            try {
                if (target.local()) {
                    arrivals.commit(transferId, Duration.ZERO);
                } else {
                    TransferTransport remote = transport.get();
                    if (remote == null) {
                        throw new IllegalStateException("no transport to " + target.url());
                    }
                    remote.commit(target.url(), transferId, Duration.ZERO, CALL_TIMEOUT);
                }
                transfers.deleteOutgoing(transferId);
                LOG.info("transfer {} to {} completed", transferId, target.url());
            } catch (RuntimeException e) {
                Duration next = pause.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : pause.multipliedBy(2);
                LOG.debug("transfer {} to {} still not committed ({}); next try in {}", transferId, target.url(),
                        e.getMessage(), next);
                scheduleCommit(target, transferId, next);
            }
        }, pause.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The target confirmed the commit: the source's files can go, off the caller's path. */
    void forgetLater(String transferId) {
        scheduler.execute(() -> {
            try {
                transfers.deleteOutgoing(transferId);
            } catch (RuntimeException e) {
                LOG.warn("could not remove finished transfer {}: {}", transferId, e.getMessage());
            }
        });
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}

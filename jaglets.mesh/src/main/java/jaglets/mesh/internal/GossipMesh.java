package jaglets.mesh.internal;

import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.mesh.HostRef;
import jaglets.mesh.Mesh;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Membership by seed gossip. Each round contacts at most {@code fanout} hosts: seeds that have
 * not answered yet first, then a random sample of known hosts. Every exchange carries what both
 * sides know, so news spreads in rounds logarithmic in the mesh size while each host sends a
 * constant number of messages per round (paglets contacts every known host every second).
 *
 * <p>A host is online while its newest {@code last_seen}, heard directly or through others, is
 * younger than {@code offlineAfter}; one slow or failed exchange does not flip it.
 */
public final class GossipMesh implements Mesh {
    private final Supplier<HostRef> selfSupplier;
    /** Configured seeds, and hosts heard through multicast beacons. */
    private final Set<String> seeds = ConcurrentHashMap.newKeySet();
    private final MeshTransport transport;
    private final Duration offlineAfter;
    private final int fanout;
    private final boolean enabled;
    private final Clock clock;
    private final Random random;
    private final Map<String, HostRef> known = new ConcurrentHashMap<>();

    public GossipMesh(Supplier<HostRef> self, List<String> seeds, MeshTransport transport, Duration offlineAfter,
                      int fanout, boolean enabled, Clock clock, Random random) {
        this.selfSupplier = self;
        seeds.stream().map(HostRef::normalizeUrl).forEach(this.seeds::add);
        this.transport = transport;
        this.offlineAfter = offlineAfter;
        this.fanout = fanout;
        this.enabled = enabled;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public boolean enabled() {
        return enabled;
    }

    @Override
    public HostRef self() {
        return selfSupplier.get().seen(clock.instant(), true, null);
    }

    @Override
    public List<HostRef> hosts() {
        Instant now = clock.instant();
        HostRef me = self();
        List<HostRef> all = new ArrayList<>();
        all.add(me);
        for (HostRef ref : known.values()) {
            if (!ref.url().equals(me.url())) {
                boolean online = Duration.between(ref.lastSeen(), now).compareTo(offlineAfter) < 0;
                all.add(online ? ref.seen(ref.lastSeen(), true, ref.error())
                        : ref.seen(ref.lastSeen(), false, ref.error() == null ? "stale mesh peer" : ref.error()));
            }
        }
        all.sort(Comparator.comparing(HostRef::name).thenComparing(HostRef::url));
        return all;
    }

    @Override
    public Optional<HostRef> lookup(String nameOrUrl) {
        if (nameOrUrl == null || nameOrUrl.isBlank()) {
            return Optional.empty();
        }
        String url = nameOrUrl.contains("://") ? HostRef.normalizeUrl(nameOrUrl) : null;
        return hosts().stream().filter(h -> h.name().equals(nameOrUrl) || h.url().equals(url))
                .max(Comparator.comparing(HostRef::online).thenComparing(HostRef::lastSeen));
    }

    @Override
    public String resolveUrl(String nameOrUrl) {
        Optional<HostRef> found = lookup(nameOrUrl);
        if (found.isPresent()) {
            return found.get().url();
        }
        if (nameOrUrl.contains("://") || nameOrUrl.contains(":")) {
            return HostRef.normalizeUrl(nameOrUrl);
        }
        throw new JagletException(ErrorType.REMOTE_HOST, "no host named '" + nameOrUrl + "' in the mesh of "
                + self().name() + "; known: " + hosts().stream().map(HostRef::name).toList());
    }

    @Override
    public HostRef waitForHost(String nameOrUrl, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<HostRef> found = lookup(nameOrUrl).filter(HostRef::online);
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() >= deadline) {
                throw new JagletException(ErrorType.TIMEOUT, "host '" + nameOrUrl + "' was not online in the mesh within "
                        + timeout);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JagletException(ErrorType.TIMEOUT, "interrupted waiting for host '" + nameOrUrl + "'");
            }
        }
    }

    @Override
    public List<HostRef> join(HostRef caller, List<HostRef> callerKnows) {
        if (enabled && caller != null && caller.codeVersion().equals(self().codeVersion())) {
            register(caller.seen(clock.instant(), true, null));
        }
        if (enabled) {
            callerKnows.forEach(this::register);
        }
        return hosts();
    }

    /**
     * Takes in a host heard of outside gossip (a multicast beacon): registered as seen now and
     * kept as a seed, so it is contacted first again whenever it has not been heard of for long.
     */
    public void discovered(HostRef ref) {
        HostRef me = selfSupplier.get();
        if (!enabled || ref == null || ref.url().equals(me.url()) || !ref.codeVersion().equals(me.codeVersion())) {
            return;
        }
        register(ref.seen(clock.instant(), true, null));
        seeds.add(ref.url());
    }

    /** One gossip round; returns how many hosts were contacted. */
    public int gossipOnce() {
        if (!enabled) {
            return 0;
        }
        HostRef me = self();
        List<String> targets = chooseTargets(me);
        List<HostRef> snapshot = hosts();
        for (String target : targets) {
            try {
                List<HostRef> answer = transport.exchange(target, me, snapshot);
                Instant now = clock.instant();
                for (HostRef ref : answer) {
                    if (ref.url().equals(target)) {
                        register(ref.seen(now, true, null)); // heard directly: seen now
                    } else {
                        register(ref);
                    }
                }
            } catch (Exception e) {
                known.computeIfPresent(target, (url, ref) -> ref.seen(ref.lastSeen(), ref.online(),
                        "unreachable: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
            }
        }
        return targets.size();
    }

    private List<String> chooseTargets(HostRef me) {
        Set<String> targets = new LinkedHashSet<>();
        Instant now = clock.instant();
        List<String> pendingSeeds = new ArrayList<>();
        for (String seed : seeds) {
            HostRef ref = known.get(seed);
            if (!seed.equals(me.url()) && (ref == null || Duration.between(ref.lastSeen(), now).compareTo(offlineAfter) >= 0)) {
                pendingSeeds.add(seed);
            }
        }
        Collections.shuffle(pendingSeeds, random);
        for (String seed : pendingSeeds) {
            if (targets.size() >= Math.max(1, fanout - 1)) {
                break;
            }
            targets.add(seed);
        }
        List<String> others = new ArrayList<>(known.keySet());
        others.remove(me.url());
        Collections.shuffle(others, random);
        for (String url : others) {
            if (targets.size() >= fanout) {
                break;
            }
            targets.add(url);
        }
        return new ArrayList<>(targets);
    }

    private void register(HostRef ref) {
        HostRef me = selfSupplier.get();
        if (ref == null || ref.url().equals(me.url()) || !ref.codeVersion().equals(me.codeVersion())) {
            return;
        }
        known.merge(ref.url(), ref.seen(ref.lastSeen(), true, ref.error()),
                (old, fresh) -> fresh.lastSeen().isAfter(old.lastSeen()) ? fresh : old);
    }
}

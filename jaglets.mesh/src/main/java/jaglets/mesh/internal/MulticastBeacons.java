package jaglets.mesh.internal;

import jaglets.mesh.HostRef;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UDP multicast beacons: this host announces itself to a group on one network interface, with
 * TTL 1 so a beacon never leaves the local network, and hands every beacon of its mesh version it
 * hears to a consumer. Beacons only help hosts find each other; gossip through seeds does not
 * need them, so no socket error here ever reaches the caller: each kind of failure is logged once,
 * and gossip carries on.
 */
final class MulticastBeacons implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MulticastBeacons.class);
    /** The largest UDP payload; a beacon is far smaller, anything longer is not one. */
    private static final int MAX_DATAGRAM = 65_507;

    private final InetSocketAddress group;
    private final NetworkInterface networkInterface;
    private final String meshVersion;
    private final Consumer<HostRef> onBeacon;
    private final AtomicBoolean sendFailureLogged = new AtomicBoolean();
    private final AtomicBoolean receiveFailureLogged = new AtomicBoolean();
    private DatagramChannel sender;
    private DatagramChannel receiver;
    private Thread listener;

    private MulticastBeacons(InetSocketAddress group, NetworkInterface networkInterface, String meshVersion,
                             Consumer<HostRef> onBeacon) {
        this.group = group;
        this.networkInterface = networkInterface;
        this.meshVersion = meshVersion;
        this.onBeacon = onBeacon;
    }

    /**
     * Joins the group on {@code networkInterface} and starts listening. When the interface cannot
     * send or receive multicast (no route, no such device), the beacons stay quiet and say so once.
     */
    static MulticastBeacons open(InetSocketAddress group, NetworkInterface networkInterface, String meshVersion,
                                 Consumer<HostRef> onBeacon) {
        MulticastBeacons beacons = new MulticastBeacons(group, networkInterface, meshVersion, onBeacon);
        try {
            beacons.sender = DatagramChannel.open(StandardProtocolFamily.INET)
                    .setOption(StandardSocketOptions.IP_MULTICAST_IF, networkInterface)
                    .setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1)
                    // hosts on this machine hear each other, as hosts on the network do
                    .setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            beacons.receiver = openReceiver(group, networkInterface);
        } catch (IOException | RuntimeException e) {
            LOG.warn("multicast beacons off on {} ({}): {}; hosts are found through seeds only",
                    networkInterface.getName(), group, e.toString());
            beacons.close();
            return beacons;
        }
        beacons.listener = new Thread(beacons::listen, "jaglets-mesh-beacons");
        beacons.listener.setDaemon(true);
        beacons.listener.start();
        LOG.info("multicast beacons on {} to {}", networkInterface.getName(), group);
        return beacons;
    }

    private static DatagramChannel openReceiver(InetSocketAddress group, NetworkInterface networkInterface)
            throws IOException {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)
                .setOption(StandardSocketOptions.SO_REUSEADDR, true); // every host on this machine listens
        try {
            // bound to the group, the socket gets this group's datagrams only (Linux, BSD)
            channel.bind(group);
        } catch (IOException e) {
            channel.bind(new InetSocketAddress(group.getPort())); // systems that refuse it (Windows)
        }
        try {
            channel.join(group.getAddress(), networkInterface);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return channel;
    }

    /** Whether beacons are being sent and heard (false once opening them failed or after close). */
    boolean active() {
        return receiver != null && receiver.isOpen();
    }

    /** Sends one beacon for {@code self}; a failure is logged once, never thrown. */
    void announce(HostRef self) {
        DatagramChannel channel = sender;
        if (channel == null || !channel.isOpen()) {
            return;
        }
        try {
            channel.send(ByteBuffer.wrap(Beacon.encode(self)), group);
        } catch (ClosedChannelException e) {
            // closed by deactivation while this round ran
        } catch (IOException | RuntimeException e) {
            if (sendFailureLogged.compareAndSet(false, true)) {
                LOG.warn("cannot send multicast beacons on {} to {}: {}; gossip goes on through seeds (said once)",
                        networkInterface.getName(), group, e.toString());
            }
        }
    }

    private void listen() {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
        while (receiver.isOpen()) {
            try {
                buffer.clear();
                receiver.receive(buffer);
                buffer.flip();
                Beacon.decode(buffer, meshVersion).ifPresent(onBeacon);
            } catch (ClosedChannelException e) {
                return; // closed: the host is stopping
            } catch (IOException | RuntimeException e) {
                if (receiveFailureLogged.compareAndSet(false, true)) {
                    LOG.warn("multicast beacon on {} not taken in: {} (said once)", networkInterface.getName(),
                            e.toString());
                }
                // a socket that keeps failing must not spin a core
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
    }

    @Override
    public void close() {
        for (DatagramChannel channel : new DatagramChannel[] {sender, receiver}) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.debug("closing a beacon socket: {}", e.toString());
                }
            }
        }
        if (listener != null) {
            try {
                listener.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The interface to announce a host on: the one holding the address in its URL, so a host
     * reachable on loopback only is announced on loopback only (to hosts of the same machine) and
     * a host bound to a LAN address on that LAN. A host on every interface, or under a name, is
     * announced on the first interface that is up, multicast-capable, not loopback and has IPv4.
     */
    static NetworkInterface interfaceFor(String hostUrl) throws SocketException {
        try {
            String hostName = URI.create(hostUrl).getHost();
            InetAddress address = hostName == null ? null : InetAddress.getByName(hostName);
            NetworkInterface holder = address == null || address.isAnyLocalAddress() ? null
                    : NetworkInterface.getByInetAddress(address);
            if (holder != null) {
                return holder;
            }
        } catch (UnknownHostException | IllegalArgumentException e) {
            LOG.debug("the address of {} does not name an interface: {}", hostUrl, e.toString());
        }
        for (NetworkInterface candidate : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (candidate.isUp() && candidate.supportsMulticast() && !candidate.isLoopback() && !candidate.isVirtual()
                    && Collections.list(candidate.getInetAddresses()).stream().anyMatch(Inet4Address.class::isInstance)) {
                return candidate;
            }
        }
        return NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
    }
}

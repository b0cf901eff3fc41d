package jaglets.mesh.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jaglets.mesh.HostRef;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real beacons between sockets on the loopback interface, on a group port of their own. Skipped
 * where the system does not deliver multicast on loopback.
 */
class MulticastBeaconsTest {
    private NetworkInterface loopback;
    private InetSocketAddress group;

    private static HostRef host(String name, String version) {
        return new HostRef(name, "http://127.0.0.1:" + (name.hashCode() & 0x7fff), version, true, Instant.now(), 0, 0,
                List.of(), Map.of(), null);
    }

    @BeforeEach
    void loopbackDeliversMulticast() throws IOException {
        loopback = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
        try (DatagramSocket free = new DatagramSocket(0)) {
            group = new InetSocketAddress(InetAddress.getByName("239.42.74.53"), free.getLocalPort());
        }
        assumeTrue(loopback != null, "no loopback interface");
        assumeTrue(probe(), "this system does not deliver multicast on " + loopback.getName());
    }

    /** Whether a datagram sent to the group on loopback comes back within a second. */
    private boolean probe() {
        try (DatagramChannel receiver = DatagramChannel.open(StandardProtocolFamily.INET)
                .setOption(StandardSocketOptions.SO_REUSEADDR, true).bind(new InetSocketAddress(group.getPort()));
             DatagramChannel sender = DatagramChannel.open(StandardProtocolFamily.INET)
                     .setOption(StandardSocketOptions.IP_MULTICAST_IF, loopback);
             Selector selector = Selector.open()) {
            receiver.join(group.getAddress(), loopback);
            receiver.configureBlocking(false).register(selector, SelectionKey.OP_READ);
            sender.send(ByteBuffer.wrap(new byte[] {1}), group);
            return selector.select(1000) > 0 && receiver.receive(ByteBuffer.allocate(16)) != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Test
    void aHostHearsTheBeaconsOfItsMeshVersionOnly() throws InterruptedException {
        BlockingQueue<HostRef> heardByB = new LinkedBlockingQueue<>();
        try (MulticastBeacons a = MulticastBeacons.open(group, loopback, "v1", h -> { });
             MulticastBeacons odd = MulticastBeacons.open(group, loopback, "v2", h -> { });
             MulticastBeacons b = MulticastBeacons.open(group, loopback, "v1", heardByB::add)) {
            assertTrue(a.active() && odd.active() && b.active());
            HostRef alpha = host("alpha", "v1");
            // loopback keeps the order: had the other version's beacon been taken in, it would come first
            odd.announce(host("odd", "v2"));
            a.announce(alpha);
            HostRef heard = heardByB.poll(5, TimeUnit.SECONDS);
            assertEquals(alpha.name(), heard == null ? null : heard.name());
            assertEquals(alpha.url(), heard.url());
        }
    }

    @Test
    void closedBeaconsNeitherSendNorThrow() throws InterruptedException {
        BlockingQueue<HostRef> heard = new LinkedBlockingQueue<>();
        MulticastBeacons a = MulticastBeacons.open(group, loopback, "v1", heard::add);
        a.close();
        a.announce(host("alpha", "v1"));
        assertTrue(!a.active());
        try (MulticastBeacons b = MulticastBeacons.open(group, loopback, "v1", heard::add)) {
            b.announce(host("beta", "v1"));
            HostRef first = heard.poll(5, TimeUnit.SECONDS);
            assertEquals("beta", first == null ? null : first.name(), "only the open host's own beacon arrives");
            assertNull(heard.poll(0, TimeUnit.SECONDS));
        }
    }

    @Test
    void aHostAnnouncedOnLoopbackIsAnnouncedOnTheLoopbackInterface() throws IOException {
        assertEquals(loopback, MulticastBeacons.interfaceFor("http://127.0.0.1:8765"));
    }
}

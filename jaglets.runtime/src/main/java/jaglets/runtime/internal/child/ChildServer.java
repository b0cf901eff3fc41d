package jaglets.runtime.internal.child;

import jaglets.protocol.Ops;
import jaglets.protocol.RpcPeer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Unix domain socket children connect to. The socket lives in a private folder (mode 700)
 * with a short path (socket paths are limited to about 100 bytes); a child proves who it is with
 * the random token it was started with.
 */
public final class ChildServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChildServer.class);

    private final Path socketDir;
    private final Path socketPath;
    private final ServerSocketChannel server;
    private final Map<String, ChildProcess> expected = new ConcurrentHashMap<>();
    private final Thread acceptor;
    private volatile boolean closed;

    public ChildServer() {
        try {
            socketDir = Files.createTempDirectory("jaglets-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            socketPath = socketDir.resolve("children.sock");
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socketPath));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the child channel socket", e);
        }
        acceptor = new Thread(this::acceptLoop, "jaglets-child-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public Path socketPath() {
        return socketPath;
    }

    void expect(ChildProcess child) {
        expected.put(child.token(), child);
    }

    void forget(ChildProcess child) {
        expected.remove(child.token());
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel channel = server.accept();
                Thread handshake = new Thread(() -> handshake(channel), "jaglets-child-handshake");
                handshake.setDaemon(true);
                handshake.start();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("child channel accept failed: {}", e.toString());
                }
            }
        }
    }

    private void handshake(SocketChannel channel) {
        RpcPeer peer = new RpcPeer(channel, "child");
        try {
            RpcPeer.Frame hello = peer.readFrame();
            ChildProcess child = Ops.HELLO.equals(hello.op()) ? expected.remove(hello.body().path("token").asText()) : null;
            if (child == null) {
                LOG.warn("a process connected to the child socket without a valid token; closed");
                peer.close();
                return;
            }
            child.attach(peer);
        } catch (IOException e) {
            peer.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
            Files.deleteIfExists(socketPath);
            Files.deleteIfExists(socketDir);
        } catch (IOException e) {
            LOG.debug("child socket cleanup: {}", e.toString());
        }
    }
}

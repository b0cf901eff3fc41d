package jaglets.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One end of the host-child channel. Each frame is a Smile-encoded ({@link Json#BINARY}: binary
 * values travel as raw bytes) object {@code {"k": kind, "id": n, "op": name, "b": body}}, sent
 * as chunks, each a 4-byte big-endian header and its bytes: a positive header {@code n} is the
 * frame's last chunk, of {@code n} bytes (a frame of up to 64 KiB is that one chunk); a negative
 * one, {@code -n}, a chunk of {@code n} bytes with more to come; zero drops the frame begun (its
 * sender could not finish encoding it). Large frames are so encoded straight onto the channel and
 * decoded straight off it, never held whole in a buffer. The kind is {@code req}
 * (a request that wants a reply), {@code rep} or {@code err} (its reply) or {@code evt} (a
 * one-way notice). Both ends can send requests; ids are per sender.
 *
 * <p>Incoming requests and events are handed to the handler on the reader thread. A handler that
 * blocks must move the work elsewhere, call {@link #continueReadingElsewhere()} and run it right
 * there (another thread then reads on), or run it through {@link #runOnReader}: the reader thread
 * runs it and reads on afterwards, and only work that needs the channel read meanwhile (it waits
 * for a reply, or runs long) has reading moved to another thread. Either way the reply needs no
 * hand-over between threads, which costs far more than the work itself for a short message.
 */
public final class RpcPeer implements Closeable {

    /** The biggest frame either end accepts. */
    public static final int MAX_FRAME_BYTES = 512 * 1024 * 1024;
    /** The size of the chunks a large frame is sent in. */
    static final int CHUNK_BYTES = 64 * 1024;
    /**
     * How often the standby looks at work run by {@link #runOnReader}: work it finds running at two
     * looks in a row (so for at least this long) gets reading moved to another thread.
     */
    static final long STANDBY_PERIOD_NANOS = 2_000_000;
    /** Looks without any work run on the reader, after which the standby sleeps until the next. */
    private static final int STANDBY_IDLE_LOOKS = 50;

    /** Receives incoming requests and events. */
    public interface Handler {
        void onRequest(String op, JsonNode body, Reply reply);

        void onEvent(String op, JsonNode body);

        /** The channel closed (the other end exited or {@link #close()} was called). */
        default void onClosed() {
        }
    }

    /** Answers one incoming request, exactly once. */
    public final class Reply {
        private final long id;
        private final AtomicBoolean sent = new AtomicBoolean();

        private Reply(long id) {
            this.id = id;
        }

        public void ok(JsonNode body) {
            if (sent.compareAndSet(false, true)) {
                try {
                    send("rep", id, null, body);
                } catch (JagletException e) {
                    trySend("err", id, null, WireError.toWire(e)); // a body that cannot be encoded
                } catch (IOException e) {
                    closeWith("channel " + name + " broke: " + e.getMessage());
                }
            }
        }

        public void fail(Throwable error) {
            if (sent.compareAndSet(false, true)) {
                trySend("err", id, null, WireError.toWire(error));
            }
        }
    }

    private final ReadableByteChannel input;
    private final WritableByteChannel output;
    private final String name;
    private final DataInputStream in;
    private final DataOutputStream out;
    /** Held while a frame goes out, from its first chunk to its last. */
    private final ReentrantLock writing = new ReentrantLock();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Reader threads: the one reading now, and those that handed reading over and wait for their turn again. */
    private final ExecutorService readers;
    /**
     * Who reads the channel: the thread reading it, a {@link Lent} while that thread runs work
     * through {@link #runOnReader} (nobody reads), or null while the role passes to another thread.
     */
    private final AtomicReference<Object> readerRole = new AtomicReference<>();
    /** Moves reading off work that runs long on the reader; started with the first such work. */
    private volatile Standby standby;
    private volatile Handler handler;
    private volatile String closedReason;

    public RpcPeer(SocketChannel channel, String name) {
        this(channel, channel, name);
    }

    /** One end over a pair of one-way channels (two pipes make an in-process link). */
    public RpcPeer(ReadableByteChannel input, WritableByteChannel output, String name) {
        this.input = input;
        this.output = output;
        this.name = name;
        // Channels.newInputStream/newOutputStream share one lock, so a blocked read would stall
        // every write: read and write the channel directly instead.
        this.in = new DataInputStream(new BufferedInputStream(new ChannelInput(input), 64 * 1024));
        this.out = new DataOutputStream(new BufferedOutputStream(new ChannelOutput(output), 64 * 1024));
        this.readers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "jaglets-rpc-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Reads one frame synchronously, before the reader thread starts (used for the hello). */
    public Frame readFrame() throws IOException {
        JsonNode node;
        while (true) {
            int header = in.readInt();
            if (header > 0 && header <= MAX_FRAME_BYTES) {
                byte[] bytes = new byte[header];
                in.readFully(bytes);
                node = Json.BINARY.readTree(bytes);
                break;
            }
            if (header >= 0 || header == Integer.MIN_VALUE) {
                throw new IOException("frame header " + header + " refused on " + name);
            }
            FrameInput frame = new FrameInput(-header);
            try {
                node = Json.BINARY.readTree(frame);
                frame.skipRest();
                break;
            } catch (FrameDropped e) {
                // its sender could not finish it; the next frame follows
            }
        }
        return new Frame(node.path("k").asText(), node.path("id").asLong(), node.path("op").asText(null),
                node.has("b") ? node.get("b") : NullNode.getInstance());
    }

    /** The sender dropped the frame being read. */
    private static final class FrameDropped extends IOException {
        FrameDropped() {
            super("frame dropped by its sender");
        }
    }

    /** A frame of several chunks as one stream, which ends with the frame. */
    private final class FrameInput extends BulkInput {
        private int remaining;
        private boolean last;
        private long total;

        FrameInput(int firstChunk) {
            remaining = firstChunk;
            total = firstChunk;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (remaining == 0) {
                if (last) {
                    return -1;
                }
                nextChunk();
            }
            int n = in.read(buffer, offset, Math.min(length, remaining));
            if (n < 0) {
                throw new EOFException("channel " + name + " ended inside a frame");
            }
            remaining -= n;
            return n;
        }

        private void nextChunk() throws IOException {
            int header = in.readInt();
            if (header == 0) {
                throw new FrameDropped();
            }
            if (header == Integer.MIN_VALUE) {
                throw new IOException("chunk header " + header + " refused on " + name);
            }
            last = header > 0;
            remaining = Math.abs(header);
            total += remaining;
            if (total > MAX_FRAME_BYTES) {
                throw new IOException("a frame of more than " + MAX_FRAME_BYTES + " bytes refused on " + name);
            }
        }

        /** Reads to the end of the frame, whatever the decoder left. */
        void skipRest() throws IOException {
            byte[] rest = new byte[8192];
            while (read(rest, 0, rest.length) >= 0) {
                // discarded
            }
        }
    }

    /** A decoded frame. */
    public record Frame(String kind, long id, String op, JsonNode body) {
    }

    /** Starts the reader thread; frames go to {@code frameHandler}. */
    public void start(Handler frameHandler) {
        this.handler = frameHandler;
        readers.execute(this::readLoop);
    }

    /**
     * Called by the handler on the reader thread, before it runs work that may block or take long:
     * another thread reads on from the next frame at once, and this one stops reading when the
     * handler returns. The work may then wait for replies on this channel.
     */
    public void continueReadingElsewhere() {
        Thread self = Thread.currentThread();
        Object role = readerRole.get();
        boolean mine = role == self || role instanceof Lent lent && lent.thread == self;
        if (!mine || !readerRole.compareAndSet(role, null)) {
            throw new IllegalStateException("only the thread reading " + name + " can hand reading over");
        }
        readElsewhere();
    }

    /**
     * Called by the handler on the reader thread: runs {@code work} right here while nobody reads
     * the channel, then reads on. Reading moves to another thread, and this one stops reading when
     * the work returns, as soon as any thread sends a request (its reply must be read) or when the
     * work has run for {@link #STANDBY_PERIOD_NANOS} to twice that (the other end's requests and
     * events must not wait for long work). A short piece of work so costs no thread switch at all.
     */
    public void runOnReader(Runnable work) {
        Thread self = Thread.currentThread();
        Lent lent = new Lent(self);
        if (!readerRole.compareAndSet(self, lent)) {
            throw new IllegalStateException("only the thread reading " + name + " can run work on the reader");
        }
        standby().noticeWork();
        try {
            work.run();
        } finally {
            // fails when reading moved meanwhile: the read loop then sees this thread is no longer the reader
            readerRole.compareAndSet(lent, self);
        }
    }

    /** Work runs on the reader thread: nobody reads until it returns. */
    private record Lent(Thread thread) {
    }

    /** If the reader thread is running work, another thread reads on. */
    private void takeReadingFrom(Lent lent) {
        if (readerRole.compareAndSet(lent, null)) {
            readElsewhere();
        }
    }

    private void readElsewhere() {
        try {
            readers.execute(this::readLoop);
        } catch (RejectedExecutionException e) {
            // closed meanwhile: nobody needs to read any more
        }
    }

    private Standby standby() {
        Standby current = standby;
        if (current == null) {
            synchronized (this) {
                current = standby;
                if (current == null) {
                    current = new Standby();
                    standby = current;
                    current.thread.start();
                }
            }
        }
        return current;
    }

    /**
     * Looks every {@link #STANDBY_PERIOD_NANOS} at work running on the reader thread, while such
     * work comes; sleeps once none has come for {@link #STANDBY_IDLE_LOOKS} looks, and is woken by
     * the next. So an idle channel costs no wake-ups, and a busy one a few hundred a second
     * instead of one per frame.
     */
    private final class Standby implements Runnable {
        final Thread thread = new Thread(this, "jaglets-rpc-standby-" + name);
        private volatile long works;
        private volatile boolean sleeping;

        Standby() {
            thread.setDaemon(true);
        }

        /** Called by the reader thread as it starts running work. */
        void noticeWork() {
            works++; // written by reader threads only; a count lost to a race still shows work came
            if (sleeping) {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run() {
            Object seen = null;
            long seenWorks = works;
            int idleLooks = 0;
            while (!closed.get()) {
                Object role = readerRole.get();
                if (role instanceof Lent lent && lent == seen) {
                    takeReadingFrom(lent); // running since the last look at least
                }
                seen = role;
                long now = works;
                idleLooks = now == seenWorks && !(role instanceof Lent) ? idleLooks + 1 : 0;
                seenWorks = now;
                if (idleLooks < STANDBY_IDLE_LOOKS) {
                    LockSupport.parkNanos(this, STANDBY_PERIOD_NANOS);
                    continue;
                }
                sleeping = true;
                if (works == seenWorks && !closed.get()) {
                    LockSupport.park(this);
                }
                sleeping = false;
                idleLooks = 0;
                seen = null;
            }
        }
    }

    /** Sends a request; the future completes with the reply body or fails with its error. */
    public CompletableFuture<JsonNode> request(String op, JsonNode body) {
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        if (closed.get()) {
            reply.completeExceptionally(closedError());
            return reply;
        }
        long id = nextId.incrementAndGet();
        pending.put(id, reply);
        if (readerRole.get() instanceof Lent lent) {
            takeReadingFrom(lent); // the reply must be read while the reader runs work
        }
        try {
            send("req", id, op, body);
        } catch (IOException e) {
            pending.remove(id);
            reply.completeExceptionally(closedError());
            close();
        } catch (RuntimeException e) {
            pending.remove(id);
            throw e;
        }
        if (closed.get() && pending.remove(id) != null) {
            reply.completeExceptionally(closedError());
        }
        return reply;
    }

    /** Sends a one-way event. */
    public void notify(String op, JsonNode body) {
        trySend("evt", 0, op, body);
    }

    public boolean isClosed() {
        return closed.get();
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        closeWith("channel " + name + " closed");
    }

    private void closeWith(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closedReason = reason;
        readers.shutdown();
        Standby idle = standby;
        if (idle != null) {
            LockSupport.unpark(idle.thread);
        }
        closeQuietly(input);
        closeQuietly(output);
        for (Long id : pending.keySet()) {
            CompletableFuture<JsonNode> future = pending.remove(id);
            if (future != null) {
                future.completeExceptionally(closedError());
            }
        }
        Handler h = handler;
        if (h != null) {
            h.onClosed();
        }
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already broken; nothing more to release
        }
    }

    private JagletException closedError() {
        return new JagletException(ErrorType.AGENT_CRASHED,
                closedReason == null ? "channel " + name + " closed" : closedReason);
    }

    private void trySend(String kind, long id, String op, JsonNode body) {
        try {
            send(kind, id, op, body);
        } catch (IOException e) {
            closeWith("channel " + name + " broke: " + e.getMessage());
        }
    }

    /**
     * Encodes and sends one frame. A body that cannot be encoded (or exceeds the frame limit) is a
     * {@code SERIALIZATION} error and leaves the channel usable; an {@link IOException} means the
     * channel itself failed.
     */
    private void send(String kind, long id, String op, JsonNode body) throws IOException {
        FrameOutput frame = new FrameOutput();
        try {
            JsonGenerator gen = Json.BINARY.getFactory().createGenerator(frame);
            gen.writeStartObject();
            gen.writeStringField("k", kind);
            gen.writeNumberField("id", id);
            if (op != null) {
                gen.writeStringField("op", op);
            }
            gen.writeFieldName("b");
            Json.BINARY.writeTree(gen, body == null ? NullNode.getInstance() : body);
            gen.writeEndObject();
            gen.close();
            frame.finish();
        } catch (IOException | RuntimeException e) {
            if (frame.channelFailed) {
                frame.release();
                throw e instanceof IOException io ? io : new IOException(e);
            }
            frame.abort();
            throw e instanceof JagletException je ? je : new JagletException(ErrorType.SERIALIZATION,
                    "a frame for '" + (op != null ? op : kind) + "' cannot be encoded: " + e.getMessage(), e);
        }
    }

    private interface ChannelWrite {
        void run() throws IOException;
    }

    /**
     * Collects a frame's bytes into a chunk; once a chunk is full and more follows, it goes out
     * (the channel is then held for this frame until its last chunk).
     */
    private final class FrameOutput extends OutputStream {
        private byte[] chunk = new byte[256];
        private int count;
        private long total;
        private boolean streaming;
        boolean channelFailed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            total += length;
            if (total > MAX_FRAME_BYTES) {
                throw new JagletException(ErrorType.SERIALIZATION,
                        "a frame of more than " + MAX_FRAME_BYTES + " bytes is larger than the channel allows");
            }
            while (length > 0) {
                if (count == CHUNK_BYTES) {
                    emit(-count); // full, and more follows
                }
                if (count == chunk.length) {
                    chunk = Arrays.copyOf(chunk, Math.min(CHUNK_BYTES, chunk.length * 2));
                }
                int n = Math.min(length, chunk.length - count);
                System.arraycopy(bytes, offset, chunk, count, n);
                count += n;
                offset += n;
                length -= n;
            }
        }

        private void emit(int header) throws IOException {
            if (!streaming) {
                writing.lock();
                streaming = true;
            }
            onChannel(() -> {
                out.writeInt(header);
                out.write(chunk, 0, count);
            });
            count = 0;
        }

        /** Sends the last chunk and lets the channel go. */
        void finish() throws IOException {
            try {
                emit(count);
                onChannel(out::flush);
            } finally {
                release();
            }
        }

        /** Drops a frame begun on the channel; the other end skips it. */
        void abort() throws IOException {
            if (!streaming) {
                return;
            }
            try {
                onChannel(() -> {
                    out.writeInt(0);
                    out.flush();
                });
            } finally {
                release();
            }
        }

        /** Runs a write to the channel, noting whether the channel itself failed. */
        private void onChannel(ChannelWrite write) throws IOException {
            try {
                write.run();
            } catch (IOException e) {
                channelFailed = true;
                throw e;
            }
        }

        void release() {
            if (streaming) {
                streaming = false;
                writing.unlock();
            }
        }
    }

    private void readLoop() {
        Thread self = Thread.currentThread();
        readerRole.set(self);
        try {
            while (!closed.get()) {
                Frame frame = readFrame();
                switch (frame.kind()) {
                    case "rep" -> complete(frame.id(), frame.body(), null);
                    case "err" -> complete(frame.id(), null, WireError.fromWire(frame.body()));
                    case "req" -> dispatchRequest(frame);
                    case "evt" -> handler.onEvent(frame.op(), frame.body());
                    default -> throw new IOException("unknown frame kind '" + frame.kind() + "'");
                }
                if (readerRole.get() != self) {
                    // the handler handed reading over and ran its work here; an interrupt it left
                    // behind would close the channel at this thread's next read
                    Thread.interrupted();
                    return;
                }
            }
        } catch (EOFException e) {
            closeWith("channel " + name + " closed by the other end");
        } catch (IOException | RuntimeException e) {
            closeWith("channel " + name + " failed: " + e);
        }
    }

    private void dispatchRequest(Frame frame) {
        Reply reply = new Reply(frame.id());
        try {
            handler.onRequest(frame.op(), frame.body(), reply);
        } catch (RuntimeException e) {
            reply.fail(e);
        }
    }

    private void complete(long id, JsonNode body, JagletException error) {
        CompletableFuture<JsonNode> future = pending.remove(id);
        if (future == null) {
            return;
        }
        if (error != null) {
            future.completeExceptionally(error);
        } else {
            future.complete(body);
        }
    }

    /** A stream read in blocks; a single byte is a block of one. */
    private abstract static class BulkInput extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public abstract int read(byte[] buffer, int offset, int length) throws IOException;
    }

    private static final class ChannelInput extends BulkInput {
        private final ReadableByteChannel channel;

        ChannelInput(ReadableByteChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return length == 0 ? 0 : channel.read(ByteBuffer.wrap(buffer, offset, length));
        }
    }

    private static final class ChannelOutput extends OutputStream {
        private final WritableByteChannel channel;

        ChannelOutput(WritableByteChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            ByteBuffer bytes = ByteBuffer.wrap(buffer, offset, length);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }
}

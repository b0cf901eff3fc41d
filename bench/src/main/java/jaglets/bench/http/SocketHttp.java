package jaglets.bench.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain loopback socket: the least work a client can do per request, so the
 * figures show the host rather than a client library. One instance is one connection, kept
 * alive across requests ({@link #exchange}); {@link #once} opens a connection for a single
 * request and closes it. Not thread-safe: one per client thread.
 */
final class SocketHttp implements AutoCloseable {
    /** Bounds a status line or header line, so a broken answer cannot grow a buffer without end. */
    static final int MAX_LINE = 16 * 1024;

    /** An answer: status, body, and whether the server will close the connection after it. */
    record Reply(int status, byte[] body, boolean closes) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final InetSocketAddress address;
    private final Duration timeout;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    SocketHttp(InetSocketAddress address, Duration timeout) {
        this.address = address;
        this.timeout = timeout;
    }

    /** Sends one request on the kept connection (opened first if there is none) and reads the answer. */
    Reply exchange(byte[] request) throws IOException {
        if (socket == null) {
            open();
        }
        try {
            out.write(request);
            out.flush();
            Reply reply = read(in);
            if (reply.closes()) {
                close();
            }
            return reply;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Opens a connection, sends one request (which should say {@code Connection: close}), reads, closes. */
    static Reply once(InetSocketAddress address, Duration timeout, byte[] request) throws IOException {
        try (SocketHttp http = new SocketHttp(address, timeout)) {
            return http.exchange(request);
        }
    }

    private void open() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout((int) timeout.toMillis());
            s.connect(address, (int) timeout.toMillis());
            in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
            out = s.getOutputStream();
            socket = s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        Socket s = socket;
        socket = null;
        in = null;
        out = null;
        if (s != null) {
            s.close();
        }
    }

    /**
     * One request as bytes: request line, {@code Host}, a JSON content type and length when there
     * is a body, {@code Connection: close} when asked, then the body.
     */
    static byte[] request(String method, String path, InetSocketAddress address, byte[] body, boolean close) {
        StringBuilder head = new StringBuilder(160);
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(address.getHostString()).append(':').append(address.getPort()).append("\r\n");
        head.append("Accept: application/json\r\n");
        if (body != null) {
            head.append("Content-Type: application/json\r\n");
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        if (close) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        if (body == null) {
            return headBytes;
        }
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    /** Reads one answer: a body framed by {@code Content-Length} or chunked, or up to the end of an HTTP/1.0-style close. */
    static Reply read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new EOFException("the connection closed before an answer");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: '" + statusLine + "'");
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: '" + statusLine + "'", e);
        }
        long length = -1;
        boolean chunked = false;
        boolean closes = parts[0].equals("HTTP/1.0");
        String header;
        while (!(header = requireLine(in)).isEmpty()) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: '" + header + "'");
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = parseLength(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> {
                    if (value.equalsIgnoreCase("close")) {
                        closes = true;
                    } else if (value.equalsIgnoreCase("keep-alive")) {
                        closes = false;
                    }
                }
                default -> { }
            }
        }
        byte[] body;
        if (chunked) {
            body = chunkedBody(in);
        } else if (length >= 0) {
            body = in.readNBytes((int) length);
            if (body.length < length) {
                throw new EOFException("the body ended after " + body.length + " of " + length + " bytes");
            }
        } else if (status == 204 || status == 304 || (status >= 100 && status < 200)) {
            body = new byte[0];
        } else {
            body = in.readAllBytes();
            closes = true;
        }
        return new Reply(status, body, closes);
    }

    private static long parseLength(String value) throws IOException {
        try {
            long length = Long.parseLong(value);
            if (length < 0 || length > Integer.MAX_VALUE - 8) {
                throw new NumberFormatException();
            }
            return length;
        } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length '" + value + "'", e);
        }
    }

    private static byte[] chunkedBody(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = requireLine(in);
            int semicolon = sizeLine.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size '" + sizeLine + "'", e);
            }
            if (size == 0) {
                while (!requireLine(in).isEmpty()) {
                    // trailers: not used
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) {
                throw new EOFException("a chunk ended after " + chunk.length + " of " + size + " bytes");
            }
            body.write(chunk);
            if (!requireLine(in).isEmpty()) {
                throw new IOException("a chunk is not followed by CRLF");
            }
        }
    }

    private static String requireLine(InputStream in) throws IOException {
        String line = line(in);
        if (line == null) {
            throw new EOFException("the connection closed inside an answer");
        }
        return line;
    }

    /** A CRLF- (or LF-) terminated ASCII line without its end, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("a line of the answer is longer than " + MAX_LINE + " bytes");
            }
            line.append((char) b);
        }
        if (line.length() > 0) {
            throw new EOFException("the connection closed inside a line");
        }
        return null;
    }
}

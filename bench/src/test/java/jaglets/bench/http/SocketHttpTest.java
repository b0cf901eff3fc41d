package jaglets.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SocketHttpTest {
    private static final InetSocketAddress HOST = InetSocketAddress.createUnresolved("127.0.0.1", 8765);

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aPostCarriesHostJsonTypeLengthAndBody() {
        byte[] body = "{\"message\":{\"kind\":\"ping\"}}".getBytes(StandardCharsets.UTF_8);
        String request = new String(SocketHttp.request("POST", "/agents/a/messages", HOST, body, false),
                StandardCharsets.UTF_8);
        assertEquals("POST /agents/a/messages HTTP/1.1\r\nHost: 127.0.0.1:8765\r\nAccept: application/json\r\n"
                + "Content-Type: application/json\r\nContent-Length: 27\r\n\r\n{\"message\":{\"kind\":\"ping\"}}", request);
    }

    @Test
    void aGetHasNoBodyHeadersAndCloseIsAskedWhenWanted() {
        String request = new String(SocketHttp.request("GET", "/agents", HOST, null, true), StandardCharsets.UTF_8);
        assertEquals("GET /agents HTTP/1.1\r\nHost: 127.0.0.1:8765\r\nAccept: application/json\r\n"
                + "Connection: close\r\n\r\n", request);
    }

    @Test
    void answersFollowEachOtherOnAKeptConnection() throws IOException {
        InputStream in = stream("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\ncontent-length: 17\r\n\r\n"
                + "{\"result\":\"pong\"}HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}");
        SocketHttp.Reply first = SocketHttp.read(in);
        assertEquals(200, first.status());
        assertEquals("{\"result\":\"pong\"}", first.text());
        assertFalse(first.closes());
        SocketHttp.Reply second = SocketHttp.read(in);
        assertEquals(404, second.status());
        assertEquals("{}", second.text());
    }

    @Test
    void chunkedBodiesAreJoined() throws IOException {
        SocketHttp.Reply reply = SocketHttp.read(stream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\n{\"a\"\r\n3;ext=1\r\n:1}\r\n0\r\n\r\n"));
        assertEquals("{\"a\":1}", reply.text());
    }

    @Test
    void theServerClosingIsNoticed() throws IOException {
        assertTrue(SocketHttp.read(stream("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"))
                .closes());
        assertTrue(SocketHttp.read(stream("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")).closes());
        assertFalse(SocketHttp.read(stream("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"))
                .closes());
        SocketHttp.Reply unframed = SocketHttp.read(stream("HTTP/1.1 200 OK\r\n\r\nto the end"));
        assertEquals("to the end", unframed.text());
        assertTrue(unframed.closes());
    }

    @Test
    void brokenAnswersAreErrorsNotFigures() {
        assertThrows(EOFException.class, () -> SocketHttp.read(stream("")));
        assertThrows(EOFException.class, () -> SocketHttp.read(stream("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"
                + "short")));
        assertThrows(EOFException.class, () -> SocketHttp.read(stream("HTTP/1.1 200 OK\r\nContent-Len")));
        assertThrows(IOException.class, () -> SocketHttp.read(stream("SSH-2.0-OpenSSH\r\n\r\n")));
        assertThrows(IOException.class, () -> SocketHttp.read(stream("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")));
        assertThrows(IOException.class, () -> SocketHttp.read(stream("HTTP/1.1 200 OK\r\nno colon\r\n\r\n")));
        assertThrows(IOException.class, () -> SocketHttp.read(stream("HTTP/1.1 200 OK\r\nX: "
                + "y".repeat(SocketHttp.MAX_LINE) + "\r\n\r\n")));
    }
}

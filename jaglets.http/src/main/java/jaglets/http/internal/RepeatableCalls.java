package jaglets.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * HTTP/1.1 calls made on the calling thread with {@link HttpURLConnection}, for requests that may
 * reach the server twice without harm: a hand-over step named by its transfer id, a read.
 * java.net.http passes every exchange between its own threads and writes a body apart from the
 * request head (the server then waits for a second segment); on an idle two-core host that costs
 * 1 to 1.5 ms per call more than this. HttpURLConnection sends a POST again when a kept-alive
 * connection turns out closed, which is why only repeatable calls go this way.
 */
public final class RepeatableCalls {
    /** Bodies up to this size leave with the request head in one write; larger ones are streamed. */
    private static final int BUFFERED_BODY_LIMIT = 64 * 1024;
    private static final Duration CONNECT_TIMEOUT_MAX = Duration.ofSeconds(5);

    /** What the server answered: its status and its body (empty when it sent none). */
    public record Response(int status, byte[] body) {
    }

    private RepeatableCalls() {
    }

    /**
     * Sends one request and reads the whole answer, so that the connection is kept for the next call.
     *
     * @param body the request body, or {@code null} for none
     * @param timeout how long connecting may take (at most 5 s) and how long the server may stay silent
     * @throws java.net.SocketTimeoutException when the server did not answer in time
     */
    public static Response call(URI uri, String method, Map<String, String> headers, byte[] body, Duration timeout)
            throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout(millis(timeout.compareTo(CONNECT_TIMEOUT_MAX) < 0 ? timeout : CONNECT_TIMEOUT_MAX));
        connection.setReadTimeout(millis(timeout));
        connection.setUseCaches(false);
        headers.forEach(connection::setRequestProperty);
        if (body != null) {
            connection.setDoOutput(true);
            if (body.length > BUFFERED_BODY_LIMIT) {
                connection.setFixedLengthStreamingMode(body.length); // no second copy of a large state
            }
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status = connection.getResponseCode();
        InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        if (in == null) {
            return new Response(status, new byte[0]);
        }
        try (in) {
            return new Response(status, in.readAllBytes());
        }
    }

    private static int millis(Duration duration) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, duration.toMillis()));
    }
}

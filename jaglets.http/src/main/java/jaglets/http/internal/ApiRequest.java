package jaglets.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.protocol.Json;
import jakarta.servlet.http.HttpServletRequest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One API request with checked access to its path, query and body: every malformed or
 * oversized input becomes a {@link JagletException} of the right type before any work is done.
 */
final class ApiRequest {
    private final HttpServletRequest request;
    private final long maxBody;

    ApiRequest(HttpServletRequest request, long maxBody) {
        this.request = request;
        this.maxBody = maxBody;
    }

    String method() {
        return request.getMethod();
    }

    String path() {
        String path = request.getPathInfo();
        return path == null ? "/" : path;
    }

    List<String> segments() {
        List<String> segments = new ArrayList<>();
        for (String part : path().split("/")) {
            if (!part.isEmpty()) {
                segments.add(part);
            }
        }
        return segments;
    }

    void require(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new JagletException(ErrorType.METHOD_NOT_ALLOWED, path() + " takes " + allowed + ", not " + method);
        }
    }

    String query(String name, String fallback) {
        String value = request.getParameter(name);
        return value == null ? fallback : value;
    }

    boolean flag(String name) {
        String value = request.getParameter(name);
        return value != null && List.of("1", "true", "yes").contains(value.toLowerCase());
    }

    int intQuery(String name, int fallback) {
        long value = longQuery(name, fallback);
        if (value > Integer.MAX_VALUE) {
            throw new JagletException(ErrorType.BAD_REQUEST, "query parameter '" + name + "' is too large");
        }
        return (int) value;
    }

    long longQuery(String name, long fallback) {
        String value = request.getParameter(name);
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new JagletException(ErrorType.BAD_REQUEST, "query parameter '" + name
                    + "' must be a non-negative integer, not '" + value + "'");
        }
    }

    /** The body as a JSON object; an empty body is {@code {}}. */
    ObjectNode jsonBody() throws IOException {
        byte[] bytes = readBody();
        if (bytes.length == 0) {
            return Json.object();
        }
        String type = request.getContentType();
        if (type == null || !isJson(type)) {
            throw new JagletException(ErrorType.UNSUPPORTED_MEDIA_TYPE, "the body must be application/json, not "
                    + (type == null ? "untyped" : "'" + type + "'"));
        }
        return Json.requestObject(bytes);
    }

    /**
     * A JSON object body; {@code smile} holds the bytes it came in when it was sent as Smile
     * (binary JSON: what hosts send envelopes in, since a state's bytes then travel as bytes).
     */
    record ObjectBody(ObjectNode node, byte[] smile) {
    }

    /**
     * The body as a JSON object, sent as JSON text or as Smile; an empty body is {@code {}}. A
     * Smile body is kept as received too: whoever stores it can write those bytes instead of
     * encoding the object again (a pass over megabytes of state).
     */
    ObjectBody jsonOrSmileBody() throws IOException {
        String type = request.getContentType();
        if (type == null || !baseType(type).equals(Json.SMILE_MEDIA_TYPE)) {
            return new ObjectBody(jsonBody(), null);
        }
        long declared = request.getContentLengthLong();
        if (declared > Integer.MAX_VALUE - 8) {
            throw tooLarge(); // more than one array holds, whatever the configured limit
        }
        byte[] bytes;
        try (InputStream in = limitedBody()) {
            // a shorter body than declared is a truncated one: the decoder says what is wrong with it
            bytes = declared >= 0 ? in.readNBytes((int) declared) : in.readAllBytes();
        }
        return new ObjectBody(Json.requestObject(Json.BINARY, bytes), bytes);
    }

    /** The body as a stream of at most the size limit, of one of the given content types. */
    InputStream binaryBody(List<String> types) throws IOException {
        String type = request.getContentType();
        if (!types.contains(type == null ? "" : baseType(type))) {
            throw new JagletException(ErrorType.UNSUPPORTED_MEDIA_TYPE, "the body must be one of " + types + ", not "
                    + (type == null ? "untyped" : "'" + type + "'"));
        }
        return limitedBody();
    }

    /** How much of a refused body is read and dropped so the client gets its answer on a kept connection. */
    static final long DRAIN_LIMIT = 1024 * 1024;

    /**
     * After a refusal, reads and drops what is left of the body if it is small enough; returns
     * whether the connection can be kept (else unread bytes would be taken for the next request).
     */
    boolean drainRest(boolean allowed) {
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        if (!hasBody) {
            return true;
        }
        long declared = request.getContentLengthLong();
        if (!allowed || declared > maxBody + DRAIN_LIMIT) {
            return false;
        }
        try {
            InputStream in = request.getInputStream();
            byte[] sink = new byte[16 * 1024];
            long left = DRAIN_LIMIT + maxBody;
            int n;
            while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) >= 0) {
                left -= n;
            }
            return left > 0;
        } catch (IOException | IllegalStateException e) {
            return false;
        }
    }

    private byte[] readBody() throws IOException {
        try (InputStream in = limitedBody()) {
            return in.readAllBytes();
        } catch (JagletException e) {
            throw e;
        } catch (IOException e) {
            throw new JagletException(ErrorType.BAD_REQUEST, "the body could not be read to its end: " + e.getMessage());
        }
    }

    /** The body as a stream that ends in a refusal past the size limit; a larger declared length is refused at once. */
    private InputStream limitedBody() throws IOException {
        checkDeclaredLength();
        return new LimitedInput(request.getInputStream(), maxBody);
    }

    private void checkDeclaredLength() {
        long declared = request.getContentLengthLong();
        if (declared > maxBody) {
            throw tooLarge();
        }
    }

    private JagletException tooLarge() {
        return new JagletException(ErrorType.PAYLOAD_TOO_LARGE, "the body is larger than this host accepts ("
                + maxBody + " bytes)");
    }

    private static boolean isJson(String contentType) {
        String base = baseType(contentType);
        return base.equals("application/json") || base.endsWith("+json");
    }

    /** A content type without its parameters, in lower case. */
    private static String baseType(String contentType) {
        return contentType.split(";")[0].trim().toLowerCase();
    }

    /** Fails as soon as more than the limit has been read (for bodies without a length). */
    private final class LimitedInput extends FilterInputStream {
        private long remaining;

        LimitedInput(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && --remaining < 0) {
                throw tooLarge();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                remaining -= n;
                if (remaining < 0) {
                    throw tooLarge();
                }
            }
            return n;
        }
    }

    // ---- typed fields of a JSON body ----------------------------------------------------------

    static String requiredText(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "field '" + field + "' must be a non-empty string");
        }
        return value.textValue();
    }

    static String optionalText(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "field '" + field + "' must be a string");
        }
        return value.textValue();
    }

    static boolean optionalBoolean(ObjectNode body, String field, boolean fallback) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "field '" + field + "' must be true or false");
        }
        return value.booleanValue();
    }

    static JsonNode optionalObject(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "field '" + field + "' must be a JSON object");
        }
        return value;
    }

    static Duration optionalSeconds(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || value.doubleValue() <= 0 || value.doubleValue() > 86_400) {
            throw new JagletException(ErrorType.BAD_REQUEST, "field '" + field + "' must be seconds between 0 and 86400");
        }
        return ApiServlet.seconds(value.doubleValue());
    }
}

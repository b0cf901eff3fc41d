package jaglets.protocol;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.TokenStreamFactory;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.SmileGenerator;
import com.fasterxml.jackson.dataformat.smile.databind.SmileMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON configuration of jaglets, in two encodings: JSON text ({@link #MAPPER}: the HTTP
 * API, records on disk) and Smile, Jackson's binary JSON ({@link #BINARY}: the channel to the
 * children, envelopes and transfer files, where state may be megabytes of bytes). A binary value
 * ({@code byte[]}) is a binary node in a tree; Smile carries it as raw bytes, JSON text in
 * paglets' tagged form {@code {"__paglets_binary__": "bytes", "base64": "..."}} so it survives
 * untyped transport (message args, replies). Typed fields also accept a plain base64 string.
 */
public final class Json {

    public static final String BINARY_TAG = "__paglets_binary__";
    /** The media type of Smile bodies. */
    public static final String SMILE_MEDIA_TYPE = "application/x-jackson-smile";
    // agent state may hold large binary values (base64 text in JSON): allow a string as large as a channel frame
    private static final StreamReadConstraints LIMITS =
            StreamReadConstraints.builder().maxStringLength(RpcPeer.MAX_FRAME_BYTES).build();
    public static final ObjectMapper MAPPER = configure(JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(LIMITS).addDecorator(Json::tagBinary).build()));
    // raw binary rather than Smile's default 7-bit form (8/7 of the size, and a pass over every byte)
    public static final ObjectMapper BINARY = configure(SmileMapper.builder(SmileFactory.builder()
            .disable(SmileGenerator.Feature.ENCODE_BINARY_AS_7BIT).streamReadConstraints(LIMITS).build()));

    private Json() {
    }

    private static ObjectMapper configure(MapperBuilder<?, ?> builder) {
        SimpleModule binary = new SimpleModule("jaglets-binary");
        binary.addSerializer(byte[].class, new BinarySerializer());
        binary.addDeserializer(byte[].class, new BinaryDeserializer());
        binary.addDeserializer(Object.class, new UntypedDeserializer());
        return builder
                .addModule(new JavaTimeModule())
                .addModule(binary)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    /** JSON text writes every binary value, from a {@code byte[]} or a binary node, in the tagged form. */
    private static JsonGenerator tagBinary(TokenStreamFactory factory, JsonGenerator generator) {
        return new JsonGeneratorDelegate(generator, true) {
            @Override
            public void writeBinary(Base64Variant variant, byte[] data, int offset, int length) throws IOException {
                writeStartObject();
                writeStringField(BINARY_TAG, "bytes");
                writeFieldName("base64");
                delegate.writeBinary(variant, data, offset, length);
                writeEndObject();
            }

            @Override
            public int writeBinary(Base64Variant variant, InputStream data, int length) throws IOException {
                byte[] bytes = length < 0 ? data.readAllBytes() : data.readNBytes(length);
                writeBinary(variant, bytes, 0, bytes.length);
                return bytes.length;
            }
        };
    }

    /** A JSON tree as plain Java: maps, lists, strings, numbers, booleans, null, byte[]. */
    public static Object toPlain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            byte[] binary = taggedBinary(node);
            if (binary != null) {
                return binary;
            }
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                map.put(field.getKey(), toPlain(field.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(element -> list.add(toPlain(element)));
            return list;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBinary()) {
            try {
                return node.binaryValue();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return node.asText();
    }

    /** Any value as a JSON tree (binary values tagged). */
    public static JsonNode toTree(Object value) {
        return MAPPER.valueToTree(value);
    }

    private static byte[] taggedBinary(JsonNode node) {
        if (node.size() == 2 && node.has(BINARY_TAG) && node.has("base64")) {
            return Base64.getDecoder().decode(node.get("base64").asText());
        }
        return null;
    }

    /** Raw bytes in Smile and in trees (a binary node), the tagged form in JSON text. */
    private static final class BinarySerializer extends JsonSerializer<byte[]> {
        @Override
        public void serialize(byte[] value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeBinary(value);
        }
    }

    private static final class BinaryDeserializer extends JsonDeserializer<byte[]> {
        @Override
        public byte[] deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = p.readValueAsTree();
            if (node.isObject()) {
                byte[] binary = taggedBinary(node);
                if (binary != null) {
                    return binary;
                }
                throw ctxt.weirdNativeValueException(node, byte[].class);
            }
            if (node.isBinary()) {
                return node.binaryValue();
            }
            return Base64.getDecoder().decode(node.asText());
        }
    }

    private static final class UntypedDeserializer extends JsonDeserializer<Object> {
        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return toPlain(p.readValueAsTree());
        }

        @Override
        public Object getNullValue(DeserializationContext ctxt) {
            return null;
        }
    }

    /** A new empty JSON object. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * A request body as a JSON object: empty is {@code {}}, anything else that is not a JSON
     * object is a {@code BAD_REQUEST} naming what is wrong.
     */
    public static ObjectNode requestObject(byte[] body) {
        return body.length == 0 ? object() : requestObject(MAPPER, body);
    }

    /** A whole request body in the given encoding as a JSON object (see {@link #requestObject(byte[])}). */
    public static ObjectNode requestObject(ObjectMapper encoding, byte[] body) {
        return requestObject(encoding, new ByteArrayInputStream(body));
    }

    /**
     * A request body read and decoded as it arrives (no copy of it is held), in the given
     * encoding. Errors of the stream itself (a size limit) pass through.
     */
    public static ObjectNode requestObject(ObjectMapper encoding, InputStream body) {
        String format = encoding == BINARY ? "Smile" : "JSON";
        JsonNode node;
        try {
            node = encoding.readTree(body);
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
            throw new JagletException(ErrorType.BAD_REQUEST, "the body is not valid " + format + ": " + reason);
        }
        if (node == null || !node.isObject()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "the body must be a " + format + " object");
        }
        return (ObjectNode) node;
    }
}

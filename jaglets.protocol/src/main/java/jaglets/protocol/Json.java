package jaglets.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON configuration of jaglets. Binary values ({@code byte[]}) are written in paglets'
 * tagged form {@code {"__paglets_binary__": "bytes", "base64": "..."}} so they survive untyped
 * transport (message args, replies); typed fields also accept a plain base64 string.
 */
public final class Json {

    public static final String BINARY_TAG = "__paglets_binary__";
    public static final ObjectMapper MAPPER = create();

    private Json() {
    }

    private static ObjectMapper create() {
        SimpleModule binary = new SimpleModule("jaglets-binary");
        binary.addSerializer(byte[].class, new BinarySerializer());
        binary.addDeserializer(byte[].class, new BinaryDeserializer());
        binary.addDeserializer(Object.class, new UntypedDeserializer());
        // agent state may hold large binary values (base64 text): allow a string as large as a channel frame
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(RpcPeer.MAX_FRAME_BYTES).build())
                .build();
        return JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .addModule(binary)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
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

    private static final class BinarySerializer extends JsonSerializer<byte[]> {
        @Override
        public void serialize(byte[] value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeStartObject();
            gen.writeStringField(BINARY_TAG, "bytes");
            gen.writeStringField("base64", Base64.getEncoder().encodeToString(value));
            gen.writeEndObject();
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
        if (body.length == 0) {
            return object();
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
            throw new JagletException(ErrorType.BAD_REQUEST, "the body is not valid JSON: " + reason);
        }
        if (node == null || !node.isObject()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "the body must be a JSON object");
        }
        return (ObjectNode) node;
    }
}

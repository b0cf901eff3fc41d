package jaglets.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    private static final byte[] BYTES = {0, 1, 2, (byte) 0xff, (byte) 0x80, 127};
    private static final String BASE64 = Base64.getEncoder().encodeToString(BYTES);

    record Blob(String name, byte[] data) {
    }

    record Holder(Blob blob, List<byte[]> chunks) {
    }

    private static void assertTagged(JsonNode node) {
        assertEquals(2, node.size(), node.toString());
        assertEquals("bytes", node.path(Json.BINARY_TAG).asText(), node.toString());
        assertEquals(BASE64, node.path("base64").asText(), node.toString());
    }

    @Test
    void typedByteArrayFieldIsWrittenInTheTaggedForm() throws Exception {
        JsonNode tree = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(new Blob("x", BYTES)));
        assertTagged(tree.get("data"));
    }

    @Test
    void typedByteArrayFieldRoundTrips() throws Exception {
        String json = Json.MAPPER.writeValueAsString(new Holder(new Blob("x", BYTES), List.of(BYTES, new byte[0])));
        Holder back = Json.MAPPER.readValue(json, Holder.class);
        assertEquals("x", back.blob().name());
        assertArrayEquals(BYTES, back.blob().data());
        assertArrayEquals(BYTES, back.chunks().get(0));
        assertArrayEquals(new byte[0], back.chunks().get(1));
    }

    @Test
    void typedByteArrayFieldAlsoAcceptsAPlainBase64String() throws Exception {
        Blob blob = Json.MAPPER.readValue("{\"name\":\"x\",\"data\":\"" + BASE64 + "\"}", Blob.class);
        assertArrayEquals(BYTES, blob.data());
    }

    @Test
    void typedByteArrayFieldRefusesAnObjectThatIsNotTagged() {
        assertThrows(JsonMappingException.class,
                () -> Json.MAPPER.readValue("{\"name\":\"x\",\"data\":{\"base64\":\"AA==\"}}", Blob.class));
    }

    @Test
    void untypedBytesAreBinaryInTreesTaggedInTextAndComeBackAsBytes() throws Exception {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("payload", BYTES);
        value.put("nested", Map.of("list", List.of(BYTES)));

        JsonNode tree = Json.toTree(value);
        assertTrue(tree.get("payload").isBinary(), tree.toString());
        JsonNode text = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(tree));
        assertTagged(text.get("payload"));
        assertTagged(text.get("nested").get("list").get(0));

        for (JsonNode form : List.of(tree, text)) {
            Map<?, ?> plain = assertInstanceOf(Map.class, Json.toPlain(form));
            assertArrayEquals(BYTES, (byte[]) plain.get("payload"));
            List<?> list = (List<?>) ((Map<?, ?>) plain.get("nested")).get("list");
            assertArrayEquals(BYTES, (byte[]) list.get(0));
        }
    }

    @Test
    void smileCarriesBinaryValuesAsTheirBytes() throws Exception {
        byte[] big = new byte[1 << 20];
        new java.util.Random(7).nextBytes(big);
        byte[] smile = Json.BINARY.writeValueAsBytes(Json.toTree(new Blob("x", big)));
        assertTrue(smile.length < big.length + 1024, "no base64 text: " + smile.length + " bytes");
        JsonNode back = Json.BINARY.readTree(smile);
        assertArrayEquals(big, back.get("data").binaryValue());
        Blob blob = Json.BINARY.treeToValue(back, Blob.class);
        assertEquals("x", blob.name());
        assertArrayEquals(big, blob.data());
    }

    @Test
    void untypedMapValuesReadFromTextComeBackAsBytes() throws Exception {
        String json = Json.MAPPER.writeValueAsString(Map.of("payload", BYTES, "count", 3));
        Map<String, Object> back = Json.MAPPER.readValue(json, new TypeReference<Map<String, Object>>() { });
        assertArrayEquals(BYTES, (byte[]) back.get("payload"));
        assertEquals(3, ((Number) back.get("count")).intValue());
        assertArrayEquals(BYTES, (byte[]) Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(BYTES), Object.class));
    }

    @Test
    void objectWithOtherFieldsThanTheTagStaysAMap() {
        JsonNode tree = Json.toTree(Map.of("base64", BASE64, "other", 1));
        assertEquals(Map.of("base64", BASE64, "other", 1L), Json.toPlain(tree));
    }

    @Test
    void plainValuesAreJavaScalarsListsAndMaps() throws Exception {
        JsonNode tree = Json.MAPPER.readTree(
                "{\"i\":1,\"big\":123456789012345678901234567890,\"d\":1.5,\"s\":\"t\",\"b\":true,\"n\":null,\"l\":[1,\"x\"]}");
        Map<?, ?> plain = (Map<?, ?>) Json.toPlain(tree);
        assertEquals(1L, plain.get("i"));
        assertEquals(new BigInteger("123456789012345678901234567890"), plain.get("big"));
        assertEquals(1.5, plain.get("d"));
        assertEquals("t", plain.get("s"));
        assertEquals(true, plain.get("b"));
        assertNull(plain.get("n"));
        assertEquals(List.of(1L, "x"), plain.get("l"));
        assertNull(Json.toPlain(null));
    }
}

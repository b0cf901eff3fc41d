package jaglets.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void whatIsWrittenReadsBackTheSame() {
        Map<String, Object> figure = new LinkedHashMap<>();
        figure.put("n", 40L);
        figure.put("p50_ms", 7.25);
        figure.put("label", "quote \" backslash \\ newline \n tab \t");
        figure.put("ok", true);
        figure.put("missing", null);
        figure.put("errors", List.of());
        figure.put("nested", Map.of("list", List.of(1L, 2.5, "x")));
        assertEquals(figure, Json.parse(Json.write(figure)));
    }

    @Test
    void numbersThatAreNotFiniteBecomeNull() {
        assertEquals(Arrays.asList(null, null), Json.parse(Json.write(List.of(Double.NaN, Double.POSITIVE_INFINITY))));
    }

    @Test
    void readsJsonWrittenByOthers() {
        Map<String, Object> parsed = Json.parseObject("{\"a\" : [ 1 , -2e3 , {\"b\":\"\\u00e9\"} ] , \"c\":false}");
        assertEquals(List.of(1L, -2000.0, Map.of("b", "é")), parsed.get("a"));
        assertEquals(false, parsed.get("c"));
    }

    @Test
    void rejectsBrokenJson() {
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[1]"));
    }
}

package jaglets.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {
    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({"0, 0", "1024, 1024", "2048B, 2048", "512K, 524288", "512kb, 524288", "10M, 10485760",
            "10 MB, 10485760", "1G, 1073741824", "1.5G, 1610612736", "2T, 2199023255552",
            "none, -1", "Unlimited, -1", "-1, -1"})
    void sizesAreBinaryScaled(String text, long bytes) {
        assertEquals(bytes, Sizes.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ten", "10X", "-5M", "1.5.5G", "K", "99999999999T"})
    void anythingElseIsABadRequest(String text) {
        assertEquals(ErrorType.BAD_REQUEST, assertThrows(JagletException.class, () -> Sizes.parse(text)).type());
    }
}

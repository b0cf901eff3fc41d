package jaglets.cli;

import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as people write them: {@code 512K}, {@code 10M}, {@code 1.5G}, {@code 2048B}; binary-scaled (1K = 1024). */
final class Sizes {
    /** What {@code none} and {@code unlimited} mean: no limit. */
    static final long UNLIMITED = -1;
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)B?");

    private Sizes() {
    }

    /** The number of bytes, or {@link #UNLIMITED} for {@code none}, {@code unlimited} or {@code -1}. */
    static long parse(String text) {
        String value = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        if (value.equals("NONE") || value.equals("UNLIMITED") || value.equals("-1")) {
            return UNLIMITED;
        }
        Matcher m = SIZE.matcher(value);
        if (!m.matches()) {
            throw new JagletException(ErrorType.BAD_REQUEST, "'" + text
                    + "' is not a size: write bytes with an optional K, M, G or T (x1024 each) and B, or none");
        }
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1L << shift));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new JagletException(ErrorType.BAD_REQUEST, "'" + text + "' is larger than any size jaglets can hold");
        }
        return bytes.longValue();
    }
}

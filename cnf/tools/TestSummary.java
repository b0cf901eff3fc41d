import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Counts every test of the last build from the JUnit XML reports of all modules (Surefire and
 * in-container runs alike) and prints "N passed, N failed, N skipped".
 */
public class TestSummary {
    private static final Pattern SUITE = Pattern.compile("<testsuite\\b[^>]*>");

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        long tests = 0, failed = 0, skipped = 0;
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> reports = files.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml"))
                    .filter(p -> p.toString().contains("/target/")).toList();
            for (Path report : reports) {
                Matcher m = SUITE.matcher(Files.readString(report));
                if (m.find()) {
                    String tag = m.group();
                    tests += attr(tag, "tests");
                    failed += attr(tag, "failures") + attr(tag, "errors");
                    skipped += attr(tag, "skipped");
                }
            }
        }
        System.out.println((tests - failed - skipped) + " passed, " + failed + " failed, " + skipped + " skipped");
    }

    private static long attr(String tag, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=\"(\\d+)\"").matcher(tag);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}

package jaglets.bench.driver;

import java.util.List;

/** A plain-text table: columns padded to their widest cell, a rule under the header. */
final class Table {
    private Table() {
    }

    static String format(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = header.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, widths);
        int total = 0;
        for (int width : widths) {
            total += width + 2;
        }
        out.append("-".repeat(total - 2)).append('\n');
        rows.forEach(row -> line(out, row, widths));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            line.append(cells.get(c));
            if (c + 1 < cells.size()) {
                line.append(" ".repeat(widths[c] - cells.get(c).length() + 2));
            }
        }
        out.append(line).append('\n');
    }
}

package io.understudy.sidecar.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A table with a border, as {@code patronictl list} prints one: columns as wide as their widest cell. */
final class TextTable {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... headers) {
        this.headers = List.of(headers);
    }

    TextTable row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        List<String> row = new ArrayList<>();
        for (Object cell : cells) row.add(cell == null ? "" : cell.toString());
        rows.add(row);
        return this;
    }

    void print(PrintWriter out, String title) {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = headers.get(c).length();
            for (List<String> row : rows)
                widths[c] = Math.max(widths[c], row.get(c).length());
        }
        String rule = rule(widths);
        out.println(title.isEmpty() ? rule : titled(rule, title));
        out.println(line(headers, widths));
        out.println(rule);
        for (List<String> row : rows) out.println(line(row, widths));
        out.println(rule);
        out.flush();
    }

    private static String titled(String rule, String title) {
        String head = "+ " + title + " ";
        return head.length() >= rule.length() ? head + "+" : head + rule.substring(head.length());
    }

    private static String rule(int[] widths) {
        StringBuilder b = new StringBuilder("+");
        for (int w : widths) b.append("-".repeat(w + 2)).append('+');
        return b.toString();
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder b = new StringBuilder("|");
        for (int c = 0; c < widths.length; c++) {
            b.append(' ')
                    .append(cells.get(c))
                    .append(" ".repeat(widths[c] - cells.get(c).length()))
                    .append(" |");
        }
        return b.toString();
    }
}

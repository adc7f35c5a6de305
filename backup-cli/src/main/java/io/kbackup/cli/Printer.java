package io.kbackup.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints rows as an aligned table or as JSON. A row is an ordered map of column name to value
 * (strings, numbers, booleans, instants, lists, maps); table headers are the column names in upper
 * case.
 */
final class Printer {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintWriter out;
    private final KBackupCli.OutputFormat format;

    Printer(PrintWriter out, KBackupCli.OutputFormat format) {
        this.out = out;
        this.format = format;
    }

    boolean json() {
        return format == KBackupCli.OutputFormat.json;
    }

    /** A list: a table with a header, or a JSON array. */
    void table(List<Map<String, Object>> rows, List<String> columns) {
        if (json()) {
            printJson(rows.stream().map(Printer::jsonable).toList());
            return;
        }
        List<String[]> cells = new ArrayList<>();
        cells.add(columns.stream().map(c -> c.toUpperCase().replace(' ', '-')).toArray(String[]::new));
        for (Map<String, Object> row : rows) {
            cells.add(columns.stream().map(c -> cell(row.get(c))).toArray(String[]::new));
        }
        int[] widths = new int[columns.size()];
        for (String[] r : cells) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        for (String[] r : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) {
                    line.append(" ".repeat(widths[i] - r[i].length() + 3));
                }
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    /** One object: {@code key: value} lines (lists one item a line, indented), or a JSON object. */
    void details(Map<String, Object> fields) {
        if (json()) {
            printJson(jsonable(fields));
            return;
        }
        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        fields.forEach((k, v) -> {
            String label = k + ":" + " ".repeat(width - k.length() - 1);
            if (v instanceof List<?> list && !list.isEmpty() && list.size() > 1) {
                out.println(label.stripTrailing());
                list.forEach(item -> out.println("  " + cell(item)));
            } else if (v instanceof Map<?, ?> map && !map.isEmpty()) {
                out.println(label.stripTrailing());
                map.forEach((mk, mv) -> out.println("  " + mk + ": " + cell(mv)));
            } else {
                out.println(label + cell(v));
            }
        });
        out.flush();
    }

    private void printJson(Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON: " + e.getMessage(), e);
        }
        out.flush();
    }

    /** Instants as ISO-8601 strings, everything else as it is. */
    private static Object jsonable(Object v) {
        if (v instanceof Instant i) {
            return i.toString();
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, val) -> copy.put(String.valueOf(k), jsonable(val)));
            return copy;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(Printer::jsonable).toList();
        }
        return v;
    }

    private static String cell(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof List<?> l) {
            return l.isEmpty() ? "-" : String.join(",", l.stream().map(String::valueOf).toList());
        }
        if (v instanceof Map<?, ?> m) {
            return m.isEmpty() ? "-" : String.join(",", m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        }
        String s = String.valueOf(v);
        return s.isEmpty() ? "-" : s;
    }
}

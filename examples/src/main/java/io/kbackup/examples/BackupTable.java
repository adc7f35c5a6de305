package io.kbackup.examples;

import io.kbackup.BackupInfo;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders backup details as a plain-text table: name, status, created, expires, namespaces, disks, cluster-scoped
 * resources, items, errors/warnings. Times are UTC.
 */
public final class BackupTable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final List<String> HEADER = List.of("NAME", "STATUS", "CREATED (UTC)", "EXPIRES (UTC)", "NAMESPACES",
            "DISKS", "CLUSTER-SCOPED", "ITEMS", "ERRORS", "WARNINGS");

    private BackupTable() {}

    /**
     * The table of {@code backups}, header first, one line per backup, columns padded to their widest cell, each line
     * ending with a newline.
     */
    public static String render(List<BackupInfo> backups) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (BackupInfo b : backups) {
            rows.add(List.of(
                    b.name(),
                    b.phase() == null ? "-" : b.phase().name(),
                    time(b.created()),
                    time(b.expires()),
                    b.namespacesForDisplay(),
                    b.includesDisks() ? "yes" : "no",
                    b.clusterWideMode() == null ? "-" : b.clusterWideMode().name(),
                    b.itemsBackedUp() + "/" + b.itemsTotal(),
                    Integer.toString(b.errors()),
                    Integer.toString(b.warnings())));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : pad(row.get(i), widths[i] + 2));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}

package io.kbackup.examples;

import io.kbackup.BackupInfo;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
     * What a backup holds, read from its resource list, for the DISKS and CLUSTER-SCOPED columns.
     *
     * @param clusterScoped cluster-scoped items in the backup
     * @param claims        PersistentVolumeClaims in the backup (the volumes a backup with all disks snapshots)
     */
    public record Contents(long clusterScoped, long claims) {}

    /**
     * The table of {@code backups}, header first, one line per backup, columns padded to their widest cell, each line
     * ending with a newline. Without the backups' resource lists, DISKS says how many volume snapshots completed
     * ({@code 1 of 2 snapshots}; a volume that was not snapshotted at all is not counted, so it never says yes) and
     * CLUSTER-SCOPED what the cluster-wide mode includes ({@code all}, {@code none}, {@code as needed}).
     */
    public static String render(List<BackupInfo> backups) {
        return render(backups, Map.of());
    }

    /**
     * As {@link #render(List)}; for the backups {@code contents} knows, DISKS says how many of the backup's volumes
     * were snapshotted ({@code yes, 2 volumes} or {@code partly, 1 of 2 volumes (1 skipped)}) and CLUSTER-SCOPED how
     * many cluster-scoped items were included ({@code 3 items}, {@code none}).
     */
    public static String render(List<BackupInfo> backups, Map<String, Contents> contents) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (BackupInfo b : backups) {
            rows.add(List.of(
                    b.name(),
                    b.phase() == null ? "-" : b.veleroPhase(),
                    time(b.created()),
                    time(b.expires()),
                    b.namespacesForDisplay(),
                    disks(b, contents.get(b.name())),
                    clusterScoped(b, contents.get(b.name())),
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

    private static String disks(BackupInfo b, Contents c) {
        if (!b.includesDisks()) {
            return "no";
        }
        long taken = b.volumeSnapshotsCompleted();
        if (c == null) {
            return taken + " of " + b.volumeSnapshotsAttempted() + " snapshot" + (b.volumeSnapshotsAttempted() == 1 ? "" : "s");
        }
        if (c.claims() == 0) {
            return "yes, no volumes";
        }
        if (taken >= c.claims()) {
            return "yes, " + taken + " volume" + (taken == 1 ? "" : "s");
        }
        return "partly, " + taken + " of " + c.claims() + " volumes (" + (c.claims() - taken) + " skipped)";
    }

    private static String clusterScoped(BackupInfo b, Contents c) {
        if (c != null) {
            return c.clusterScoped() == 0 ? "none" : c.clusterScoped() + " item" + (c.clusterScoped() == 1 ? "" : "s");
        }
        if (b.clusterWideMode() == null) {
            return "-";
        }
        return switch (b.clusterWideMode()) {
            case ALWAYS -> "all";
            case NEVER -> "none";
            case AUTO -> "as needed";
        };
    }

    private static String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}

package io.kbackup.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.ClusterWideMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackupTableTest {

    private static BackupInfo backup(String name, BackupPhase phase, List<String> namespaces, boolean disks, int warnings) {
        Instant created = Instant.parse("2026-11-21T08:15:00Z");
        return BackupInfo.builder().name(name).phase(phase).location("default").created(created).started(created)
                .completed(created.plusSeconds(2)).expires(created.plusSeconds(7 * 24 * 3600)).includedNamespaces(namespaces)
                .excludedNamespaces(List.of("kube-system")).includesDisks(disks).clusterWideMode(ClusterWideMode.AUTO).itemsTotal(54)
                .itemsBackedUp(53).volumeSnapshotsAttempted(1).volumeSnapshotsCompleted(1).warnings(warnings).build();
    }

    @Test
    void rendersOneAlignedRowPerBackupUnderTheHeader() {
        String table = BackupTable.render(List.of(
                backup("demo-20261121081500", BackupPhase.COMPLETED, List.of(), true, 2),
                backup("nightly-20261120230000", BackupPhase.PARTIALLY_FAILED, List.of("shop", "payments"), false, 0)));

        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("NAME                    STATUS           CREATED (UTC)        EXPIRES (UTC)");
        assertThat(lines.get(1).split(" {2,}")).containsExactly("demo-20261121081500", "Completed", "2026-11-21 08:15:00",
                "2026-11-28 08:15:00", "all except kube-system", "1 of 1 snapshot", "as needed", "53/54", "0", "2");
        assertThat(lines.get(2)).contains("PartiallyFailed", "shop,payments except kube-system", " no ");
        // every column starts at the same offset on every line
        int status = lines.get(0).indexOf("STATUS");
        assertThat(lines.get(1).indexOf("Completed")).isEqualTo(status);
        assertThat(lines.get(2).indexOf("PartiallyFailed")).isEqualTo(status);
    }

    @Test
    void withTheBackupsContentsDisksSaysWhenAVolumeWasSkippedAndClusterScopedWhatWasIncluded() {
        BackupInfo b = backup("demo-1", BackupPhase.COMPLETED, List.of(), true, 0);
        BackupInfo never = b.toBuilder().name("demo-2").clusterWideMode(ClusterWideMode.NEVER).build();
        String table = BackupTable.render(List.of(b, never), Map.of("demo-1", new BackupTable.Contents(7, 2),
                "demo-2", new BackupTable.Contents(0, 1)));

        List<String> lines = table.lines().toList();
        assertThat(lines.get(1).split(" {2,}")).contains("partly, 1 of 2 volumes (1 skipped)", "7 items").doesNotContain("yes");
        assertThat(lines.get(2).split(" {2,}")).contains("yes, 1 volume", "none");
        assertThat(BackupTable.render(List.of(never))).contains("  none  ");
        assertThat(BackupTable.render(List.of(b.toBuilder().volumeSnapshotsCompleted(0).build()))).contains("0 of 1 snapshot");
    }

    @Test
    void rendersOnlyTheHeaderWhenThereIsNoBackup() {
        assertThat(BackupTable.render(List.of())).isEqualTo(
                "NAME  STATUS  CREATED (UTC)  EXPIRES (UTC)  NAMESPACES  DISKS  CLUSTER-SCOPED  ITEMS  ERRORS  WARNINGS\n");
    }
}

package io.kbackup.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.BackupPhase;
import io.kbackup.RestorePhase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's demo in-process: backup, table, restore with a namespace mapping, round-trip check. */
class DemoIT {

    @TempDir
    Path folder;

    @Test
    void backsUpListsRestoresAndFindsEveryRestoredObjectEqualToItsSource() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

        Demo.Outcome outcome = Demo.run(List.of("--location", folder.toString()), out);
        String printed = buffer.toString(StandardCharsets.UTF_8);

        assertThat(outcome.exitCode()).as(printed).isZero();
        assertThat(outcome.backup().phase()).isEqualTo(BackupPhase.COMPLETED);
        assertThat(outcome.backup().name()).startsWith("demo-");
        assertThat(outcome.backup().includesDisks()).isTrue();
        assertThat(outcome.backup().volumeSnapshotsCompleted()).isEqualTo(1);
        assertThat(outcome.backups()).extracting(b -> b.name()).containsExactly(outcome.backup().name());
        // the table: header and the backup's row with its status
        assertThat(printed).containsPattern("NAME +STATUS +CREATED \\(UTC\\) +EXPIRES \\(UTC\\) +NAMESPACES +DISKS"
                + " +CLUSTER-SCOPED +ITEMS +ERRORS +WARNINGS");
        assertThat(printed).containsPattern(outcome.backup().name() + " +Completed +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +"
                + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +all +partly, 1 of 2 volumes \\(1 skipped\\) +\\d+ items"
                + " +(\\d+)/\\1 +0 ");
        // the host-path volume has no snapshot: DISKS says so; the counts say why the backup holds more than was seeded
        assertThat(printed).containsPattern("backed up (\\d+) items: \\d+ of the \\d+ seeded objects \\+ \\d+ the cluster holds as well \\(");
        assertThat(outcome.restore().phase()).isEqualTo(RestorePhase.COMPLETED);
        assertThat(outcome.check().passed()).as(printed).isTrue();
        assertThat(outcome.check().matched()).extracting(ObjectRef::toString)
                .contains("Deployment shop/frontend", "Secret payments/api-tls", "PersistentVolume pv-shop-db",
                        "PersistentVolumeClaim payments/ledger-data", "VolumeSnapshotClass fast-csi-snapshots",
                        "ServiceMonitor monitoring/prometheus-self", "Namespace shop", "PriorityClass business-critical");
        assertThat(outcome.check().notRestoredByDesign().keySet()).extracting(ObjectRef::toString)
                .contains("Node worker-3", "Pod payments/ledger-migrate-29100480-k7d2q",
                        "PersistentVolume pvc-3f7c9a2e-payments-ledger");
        assertThat(printed).contains("OK: backup, restore and round-trip check passed.")
                .doesNotContain("s3cr3t-demo-only").doesNotContain("Exception");
        assertThat(folder.resolve("backups").resolve(outcome.backup().name()).resolve(outcome.backup().name() + ".tar.gz"))
                .isRegularFile();
    }
}

package io.kbackup;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The details of one backup, as a platform shows them (name, status, created, expires,
 * namespaces, disks, cluster-scoped) and more. Read from the backup's {@code velero-backup.json}
 * in the location, so it describes backups taken by either engine or by Velero itself.
 * Immutable.
 *
 * @param name                     the backup's name
 * @param phase                    Velero's phase
 * @param location                 the backup location's name ({@code spec.storageLocation})
 * @param created                  when the backup object was created; may be null
 * @param started                  when the backup started; may be null
 * @param completed                when it ended; null while running
 * @param expires                  when it expires ({@code status.expiration}); may be null
 * @param includedNamespaces       namespaces asked for; empty means all
 * @param excludedNamespaces       namespaces left out
 * @param includesDisks            whether volume data was included
 * @param clusterWideMode          cluster-scoped resources mode
 * @param itemsTotal               items to back up ({@code status.progress.totalItems})
 * @param itemsBackedUp            items backed up ({@code status.progress.itemsBackedUp})
 * @param volumeSnapshotsAttempted CSI volume snapshots attempted
 * @param volumeSnapshotsCompleted CSI volume snapshots completed
 * @param errors                   number of errors
 * @param warnings                 number of warnings
 * @param failureReason            why it failed, or null
 * @param scheduleName             the schedule or plan prefix that made it ({@code velero.io/schedule-name}), or null
 * @param labels                   the backup's labels
 */
public record BackupInfo(
        String name,
        BackupPhase phase,
        String location,
        Instant created,
        Instant started,
        Instant completed,
        Instant expires,
        List<String> includedNamespaces,
        List<String> excludedNamespaces,
        boolean includesDisks,
        ClusterWideMode clusterWideMode,
        long itemsTotal,
        long itemsBackedUp,
        int volumeSnapshotsAttempted,
        int volumeSnapshotsCompleted,
        int errors,
        int warnings,
        String failureReason,
        String scheduleName,
        Map<String, String> labels) {

    public BackupInfo {
        includedNamespaces = includedNamespaces == null ? List.of() : List.copyOf(includedNamespaces);
        excludedNamespaces = excludedNamespaces == null ? List.of() : List.copyOf(excludedNamespaces);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** Whether the backup has expired at {@code now}. */
    public boolean isExpiredAt(Instant now) {
        return expires != null && !expires.isAfter(now);
    }

    /** The failure reason, if any. */
    public Optional<String> failure() {
        return Optional.ofNullable(failureReason);
    }

    /** {@code "all"} or the included namespaces joined with commas, as a platform's table shows them. */
    public String namespacesForDisplay() {
        String inc = includedNamespaces.isEmpty() || includedNamespaces.equals(List.of("*")) ? "all" : String.join(",", includedNamespaces);
        return excludedNamespaces.isEmpty() ? inc : inc + " except " + String.join(",", excludedNamespaces);
    }
}

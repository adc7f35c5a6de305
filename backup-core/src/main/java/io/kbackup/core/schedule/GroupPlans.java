package io.kbackup.core.schedule;

import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.core.fleet.ClusterGroup;
import io.kbackup.core.fleet.GroupPhase;
import io.kbackup.core.fleet.GroupRunInfo;
import java.util.List;

/** How the scheduler sees a group plan's runs: each group run as one backup (its name, phase and start). */
final class GroupPlans {
    private GroupPlans() {}

    /** The group's recorded runs in the shared location, as backups of the plan's history. */
    static List<BackupInfo> runsAsBackups(ClusterGroup group, BackupLocation shared) {
        return group.listGroupBackups(shared).stream().map(GroupPlans::asBackup).toList();
    }

    static BackupInfo asBackup(GroupRunInfo run) {
        return BackupInfo.builder().name(run.name()).phase(phaseOf(run.phase())).started(run.started()).completed(run.finished())
                .itemsBackedUp(run.itemsDone()).scheduleName(null).build();
    }

    static BackupPhase phaseOf(GroupPhase phase) {
        return switch (phase) {
            case IN_PROGRESS -> BackupPhase.IN_PROGRESS;
            case COMPLETED -> BackupPhase.COMPLETED;
            case PARTIALLY_FAILED -> BackupPhase.PARTIALLY_FAILED;
            case FAILED -> BackupPhase.FAILED;
        };
    }
}

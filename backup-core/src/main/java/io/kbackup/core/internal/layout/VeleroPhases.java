package io.kbackup.core.internal.layout;

import io.kbackup.BackupPhase;
import io.kbackup.RestorePhase;

/**
 * Reads and writes Velero's {@code status.phase} names of Backups and Restores (in the cluster and
 * in {@code velero-backup.json}), in one place. Null or empty is {@code New}; a name the SDK does
 * not know is {@code UNKNOWN} (never folded into a known phase).
 */
public final class VeleroPhases {
    private VeleroPhases() {}

    /** A backup phase from Velero's name. */
    public static BackupPhase backup(String text) {
        return BackupPhase.fromVelero(text);
    }

    /** A restore phase from Velero's name. */
    public static RestorePhase restore(String text) {
        return RestorePhase.fromVelero(text);
    }

    /** The name Velero writes for a phase ({@code status.phase}), for the documents we store. */
    public static String name(BackupPhase phase) {
        return phase.veleroName();
    }

    /** The name Velero writes for a phase ({@code status.phase}), for the documents we store. */
    public static String name(RestorePhase phase) {
        return phase.veleroName();
    }
}

package io.kbackup.core.internal.layout;

import io.kbackup.BackupPhase;
import io.kbackup.RestorePhase;
import java.util.Optional;

/**
 * Reads Velero's {@code status.phase} names of Backups and Restores (in the cluster and in
 * {@code velero-backup.json}), in one place. Null or empty is {@code New}.
 */
public final class VeleroPhases {
    private VeleroPhases() {}

    /** The backup phase named, or empty when it is none the SDK knows (Velero's {@code Queued}, {@code ReadyToStart}, ...). */
    public static Optional<BackupPhase> backupExactly(String text) {
        try {
            return Optional.of(BackupPhase.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A backup phase; names the SDK has no constant for ({@code Queued}, {@code ReadyToStart}: waiting for a worker) read as New. */
    public static BackupPhase backup(String text) {
        return backupExactly(text).orElse(BackupPhase.New);
    }

    /** The name Velero writes for a phase ({@code status.phase}), for the documents we store. */
    public static String name(Enum<?> phase) {
        return phase.name();
    }

    /** A restore phase; unknown names read as New. */
    public static RestorePhase restore(String text) {
        try {
            return RestorePhase.parse(text);
        } catch (IllegalArgumentException e) {
            return RestorePhase.New;
        }
    }
}

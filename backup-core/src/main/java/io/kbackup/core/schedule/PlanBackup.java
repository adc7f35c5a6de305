package io.kbackup.core.schedule;

import io.kbackup.BackupPhase;
import java.time.Instant;
import java.util.Objects;

/**
 * One backup of a scheduled plan as the scheduler's decisions see it.
 *
 * @param name    the backup's name ({@code <prefix>-<yyyyMMddHHmmss>})
 * @param phase   its phase
 * @param started when it started (from its status, else from the timestamp in its name)
 * @param expires when it expires, or null when it never does
 */
record PlanBackup(String name, BackupPhase phase, Instant started, Instant expires) {

    PlanBackup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(started, "started");
    }

    boolean isExpiredAt(Instant now) {
        return expires != null && !expires.isAfter(now);
    }
}

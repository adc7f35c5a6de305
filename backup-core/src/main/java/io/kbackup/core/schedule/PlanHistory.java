package io.kbackup.core.schedule;

import io.kbackup.BackupInfo;
import io.kbackup.BackupPlan;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which backups in a location belong to a scheduled plan (those named
 * {@code <prefix>-<yyyyMMddHHmmss>}) and when each started. The bucket is the scheduler's memory:
 * this is how it reads it. Pure: no I/O.
 */
final class PlanHistory {
    private final String prefix;
    private final Pattern namePattern;

    PlanHistory(String prefix) {
        this.prefix = prefix;
        this.namePattern = Pattern.compile(Pattern.quote(prefix) + "-\\d{14}");
    }

    /** Whether a backup of that name would be the plan's. */
    boolean owns(String name) {
        return namePattern.matcher(name).matches();
    }

    /** The plan's backups among {@code all}, newest start first. */
    List<PlanBackup> of(List<BackupInfo> all) {
        return all.stream()
                .filter(b -> owns(b.name()))
                .map(b -> new PlanBackup(b.name(), b.phase(), startOf(b), b.expires()))
                .sorted(Comparator.comparing(PlanBackup::started).reversed())
                .toList();
    }

    /** The latest start among the plan's backups in {@code all}, or null when it has none. */
    Instant lastStart(List<BackupInfo> all) {
        List<PlanBackup> mine = of(all);
        return mine.isEmpty() ? null : mine.get(0).started();
    }

    /** When a backup of the plan started: its status, else the timestamp in its name. */
    private Instant startOf(BackupInfo b) {
        if (b.started() != null) {
            return b.started();
        }
        String ts = b.name().substring(prefix.length() + 1);
        try {
            return BackupPlan.NAME_TIMESTAMP.parse(ts, Instant::from);
        } catch (DateTimeParseException ex) {
            return Instant.EPOCH;
        }
    }
}

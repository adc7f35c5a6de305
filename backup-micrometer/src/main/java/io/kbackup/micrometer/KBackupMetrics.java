package io.kbackup.micrometer;

import io.kbackup.BackupClient;
import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.ClientListener;
import io.kbackup.CorruptBackupException;
import io.kbackup.KBackupException;
import io.kbackup.OperationHandle;
import io.kbackup.OperationListener;
import io.kbackup.RestoreHandle;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Micrometer metrics of the backups and restores a {@link BackupClient} runs, fed by its listener
 * API (backup-core has no Micrometer dependency; a host that does not add this artifact has none).
 * Names follow Velero's Prometheus metrics where Velero has one, so that dashboards and alerts made
 * for Velero work: with Micrometer's Prometheus registry, counter {@code velero.backup.success} is
 * exported as {@code velero_backup_success_total}, timer {@code velero.backup.duration} as
 * {@code velero_backup_duration_seconds}. Every meter has Velero's tag {@code schedule} (the
 * {@code velero.io/schedule-name} label of the plan, empty for ad-hoc backups and for restores).
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>Micrometer name</th><th>Prometheus name</th><th>what</th></tr>
 * <tr><td>{@code velero.backup.attempt}</td><td>{@code velero_backup_attempt_total}</td><td>backups started</td></tr>
 * <tr><td>{@code velero.backup.success}</td><td>{@code velero_backup_success_total}</td><td>ended Completed</td></tr>
 * <tr><td>{@code velero.backup.partial.failure}</td><td>{@code velero_backup_partial_failure_total}</td><td>ended PartiallyFailed</td></tr>
 * <tr><td>{@code velero.backup.failure}</td><td>{@code velero_backup_failure_total}</td><td>ended Failed</td></tr>
 * <tr><td>{@code velero.backup.validation.failure}</td><td>{@code velero_backup_validation_failure_total}</td><td>ended FailedValidation</td></tr>
 * <tr><td>{@code velero.backup.duration}</td><td>{@code velero_backup_duration_seconds}</td><td>start to end, every outcome</td></tr>
 * <tr><td>{@code velero.backup.tarball.size.bytes}</td><td>{@code velero_backup_tarball_size_bytes}</td><td>gauge: bytes written by the last backup</td></tr>
 * <tr><td>{@code velero.backup.items.total}</td><td>{@code velero_backup_items_total}</td><td>gauge: items of the last backup</td></tr>
 * <tr><td>{@code velero.backup.items.errors}</td><td>{@code velero_backup_items_errors}</td><td>gauge: errors of the last backup</td></tr>
 * <tr><td>{@code velero.backup.warning}</td><td>{@code velero_backup_warning_total}</td><td>backups that ended with warnings</td></tr>
 * <tr><td>{@code velero.backup.last.successful.timestamp}</td><td>{@code velero_backup_last_successful_timestamp}</td><td>gauge: epoch seconds of the last Completed backup</td></tr>
 * <tr><td>{@code kbackup.backup.items}</td><td>{@code kbackup_backup_items_total}</td><td>items written, all backups</td></tr>
 * <tr><td>{@code kbackup.backup.bytes}</td><td>{@code kbackup_backup_bytes_total}</td><td>bytes written, all backups</td></tr>
 * <tr><td>{@code kbackup.backup.running}</td><td>{@code kbackup_backup_running}</td><td>gauge: backups running now</td></tr>
 * <tr><td>{@code velero.restore.attempt}</td><td>{@code velero_restore_attempt_total}</td><td>restores started</td></tr>
 * <tr><td>{@code velero.restore.success}</td><td>{@code velero_restore_success_total}</td><td>ended Completed</td></tr>
 * <tr><td>{@code velero.restore.partial.failure}</td><td>{@code velero_restore_partial_failure_total}</td><td>ended PartiallyFailed</td></tr>
 * <tr><td>{@code velero.restore.failed}</td><td>{@code velero_restore_failed_total}</td><td>ended Failed</td></tr>
 * <tr><td>{@code velero.restore.validation.failed}</td><td>{@code velero_restore_validation_failed_total}</td><td>ended FailedValidation (a corrupt backup refused)</td></tr>
 * <tr><td>{@code kbackup.restore.duration}</td><td>{@code kbackup_restore_duration_seconds}</td><td>start to end (Velero has no restore duration)</td></tr>
 * <tr><td>{@code kbackup.restore.items}</td><td>{@code kbackup_restore_items_total}</td><td>items restored (created, updated or already equal)</td></tr>
 * <tr><td>{@code kbackup.restore.bytes}</td><td>{@code kbackup_restore_bytes_total}</td><td>bytes read from storage</td></tr>
 * <tr><td>{@code kbackup.restore.running}</td><td>{@code kbackup_restore_running}</td><td>gauge: restores running now</td></tr>
 * </table>
 *
 * <p>Velero's {@code velero_backup_total} and {@code velero_restore_total} (how many exist in the
 * location) are not exported: they count the bucket, not this process's work; list them with
 * {@link BackupClient#listBackups}. Thread-safe.
 *
 * <pre>{@code
 * MeterRegistry registry = new SimpleMeterRegistry(); // or your Prometheus registry
 * try (BackupClient kbackup = KBackup.direct(kubernetesClient)) {
 *     KBackupMetrics.bindTo(kbackup, registry);
 *     kbackup.backup(plan).await(Duration.ofMinutes(30));
 * }
 * }</pre>
 */
public final class KBackupMetrics implements ClientListener {
    /** Velero's tag on its backup and restore metrics. */
    public static final String SCHEDULE_TAG = "schedule";
    private static final String SCHEDULE_LABEL = "velero.io/schedule-name";

    /** Velero's counters of how backups and restores end (any other end counts as failed). */
    private static final Map<BackupPhase, Meter> BACKUP_ENDS = Map.of(
            BackupPhase.COMPLETED, new Meter("velero.backup.success", "Total number of successful backups"),
            BackupPhase.PARTIALLY_FAILED, new Meter("velero.backup.partial.failure", "Total number of partially failed backups"),
            BackupPhase.FAILED_VALIDATION, new Meter("velero.backup.validation.failure", "Total number of validation failed backups"));
    private static final Meter BACKUP_FAILED = new Meter("velero.backup.failure", "Total number of failed backups");
    private static final Map<RestorePhase, Meter> RESTORE_ENDS = Map.of(
            RestorePhase.COMPLETED, new Meter("velero.restore.success", "Total number of successful restores"),
            RestorePhase.PARTIALLY_FAILED, new Meter("velero.restore.partial.failure", "Total number of partially failed restores"),
            RestorePhase.FAILED_VALIDATION,
            new Meter("velero.restore.validation.failed", "Total number of failed restores failing validations"));
    private static final Meter RESTORE_FAILED = new Meter("velero.restore.failed", "Total number of failed restores");

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

    /** Metrics in {@code registry}; add them to a client with {@link BackupClient#addListener} or use {@link #bindTo}. */
    public KBackupMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        running("backup");
        running("restore");
    }

    /** Metrics of every backup and restore {@code client} starts from now on, in {@code registry}. */
    public static KBackupMetrics bindTo(BackupClient client, MeterRegistry registry) {
        KBackupMetrics metrics = new KBackupMetrics(registry);
        client.addListener(metrics);
        return metrics;
    }

    @Override
    public void backupStarted(BackupHandle handle, BackupPlan plan) {
        String schedule = plan.labels().getOrDefault(SCHEDULE_LABEL, "");
        track(handle, "backup", schedule, "velero.backup.duration", (info, error) -> backupEnded(handle, schedule, info));
    }

    private void backupEnded(BackupHandle handle, String schedule, BackupInfo info) {
        BackupPhase phase = info != null ? info.phase() : BackupPhase.FAILED;
        counter(BACKUP_ENDS.getOrDefault(phase, BACKUP_FAILED), schedule).increment();
        long bytes = handle.progress().bytes();
        gauge("velero.backup.tarball.size.bytes", schedule, "Size, in bytes, of a backup").set(bytes);
        counter("kbackup.backup.bytes", schedule, "Bytes written to storage by backups").increment(bytes);
        if (info == null) {
            return;
        }
        gauge("velero.backup.items.total", schedule, "Total number of items backed up").set(info.itemsBackedUp());
        gauge("velero.backup.items.errors", schedule, "Total number of errors encountered during backup").set(info.errors());
        counter("kbackup.backup.items", schedule, "Items written by backups").increment(info.itemsBackedUp());
        if (info.warnings() > 0) {
            counter("velero.backup.warning", schedule, "Total number of warned backups").increment();
        }
        if (phase == BackupPhase.COMPLETED) {
            java.time.Instant at = info.completed() != null ? info.completed() : java.time.Instant.now();
            gauge("velero.backup.last.successful.timestamp", schedule, "Last time a backup ran successfully, Unix timestamp in seconds")
                    .set(at.getEpochSecond());
        }
    }

    @Override
    public void restoreStarted(RestoreHandle handle, RestorePlan plan) {
        String schedule = "";
        track(handle, "restore", schedule, "kbackup.restore.duration", (info, error) -> restoreEnded(handle, schedule, info, error));
    }

    private void restoreEnded(RestoreHandle handle, String schedule, RestoreInfo info, KBackupException error) {
        RestorePhase phase = info != null ? info.phase()
                : error instanceof CorruptBackupException ? RestorePhase.FAILED_VALIDATION : RestorePhase.FAILED;
        counter(RESTORE_ENDS.getOrDefault(phase, RESTORE_FAILED), schedule).increment();
        counter("kbackup.restore.bytes", schedule, "Bytes read from storage by restores").increment(handle.progress().bytes());
        if (info != null) {
            counter("kbackup.restore.items", schedule, "Items restored").increment(info.itemsRestored());
        }
    }

    /**
     * What backups and restores ({@code kind}) share: counts the start, keeps the running gauge, and
     * at the end records the duration in timer {@code durationMeter} and hands the end to {@code ended}.
     */
    private <I> void track(OperationHandle<?, I> handle, String kind, String schedule, String durationMeter,
            BiConsumer<I, KBackupException> ended) {
        long start = System.nanoTime();
        counter("velero." + kind + ".attempt", schedule, "Total number of attempted " + kind + "s").increment();
        running(kind).incrementAndGet();
        handle.addListener(new OperationListener<Object, I>() {
            @Override
            public void onEnd(String operation, I info, KBackupException error) {
                running(kind).decrementAndGet();
                Timer.builder(durationMeter).description("Time taken to complete " + kind + ", in seconds")
                        .tags(Tags.of(SCHEDULE_TAG, schedule)).register(registry).record(Duration.ofNanos(System.nanoTime() - start));
                ended.accept(info, error);
            }
        });
    }

    /** Gauge {@code kbackup.<kind>.running}: backups or restores running now. */
    private AtomicLong running(String kind) {
        return gauge("kbackup." + kind + ".running", "", Character.toUpperCase(kind.charAt(0)) + kind.substring(1) + "s running now");
    }

    /** A meter's name and description. */
    private record Meter(String name, String description) {}

    private Counter counter(Meter meter, String schedule) {
        return counter(meter.name(), schedule, meter.description());
    }

    private Counter counter(String name, String schedule, String description) {
        return Counter.builder(name).description(description).tags(Tags.of(SCHEDULE_TAG, schedule)).register(registry);
    }

    private AtomicLong gauge(String name, String schedule, String description) {
        return gauges.computeIfAbsent(name + "|" + schedule, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).description(description).tags(Tags.of(SCHEDULE_TAG, schedule)).strongReference(true)
                    .register(registry);
            return value;
        });
    }
}

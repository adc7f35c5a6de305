package io.kbackup.core.internal.backup;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.KBackupException;
import io.kbackup.core.internal.kube.KubeRetry;
import io.kbackup.core.internal.layout.OperationResults;
import io.kbackup.core.internal.snapshot.CsiSnapshotBackup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;

/** Where a backup's messages go: its log ({@link BackupLog}) and, for warnings and errors, its results. Thread-safe. */
final class BackupReport implements CsiSnapshotBackup.Report {
    final OperationResults results = new OperationResults();
    final BackupLog log;
    /** Told of each error (namespace, message): the handle's listeners. */
    volatile java.util.function.BiConsumer<String, String> onError = (namespace, message) -> { };

    BackupReport(String backup, Clock clock) {
        this.log = new BackupLog(backup, clock);
    }

    @Override
    public void info(String message) {
        log.info(message);
    }

    /** A warning about the run itself (not one item). */
    void veleroWarning(String message) {
        results.veleroWarning(message);
        log.warn(message);
    }

    @Override
    public void warning(String namespace, String message) {
        results.warning(namespace, message);
        log.warn(message);
    }

    @Override
    public void error(String namespace, String message) {
        results.error(namespace, message);
        log.error(message);
        onError.accept(namespace, message);
    }

    /** Why a run failed, in words. */
    static String failureReason(Throwable e) {
        if (e instanceof KubernetesClientException k) {
            return "the Kubernetes API failed: " + KubeRetry.describe(k);
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            return "writing to the backup location failed: " + e.getMessage();
        }
        if (e instanceof KBackupException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
    }
}

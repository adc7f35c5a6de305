package io.kbackup.core.internal.velero;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.kbackup.KBackupException;
import io.kbackup.OperationTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Velero's way to delete a backup: a {@code DeleteBackupRequest} (named for the backup and a random
 * suffix), waited for until Velero marks it {@code Processed}; the errors Velero records on it are
 * thrown.
 */
public final class DeleteBackupRequests {
    private static final SecureRandom RANDOM = new SecureRandom();

    private DeleteBackupRequests() {}

    /**
     * Asks Velero to delete the backup and waits until it has.
     *
     * @param backupUid the uid of Velero's Backup object
     * @param timeout   how long Velero may take
     * @throws OperationTimeoutException when Velero did not process the request in time (it stays)
     * @throws KBackupException          with Velero's errors when it could not delete the backup
     */
    public static void deleteAndWait(VeleroCluster cluster, String backupName, String backupUid, Duration timeout) {
        String name = VeleroObjects.labelValue(backupName + "-") + HexFormat.of().formatHex(randomBytes());
        cluster.create(VeleroObjects.deleteRequest(backupName, backupUid, name, cluster.namespace()));
        GenericKubernetesResource processed;
        try {
            processed = cluster.watcher(VeleroKind.DELETE_BACKUP_REQUEST)
                    .until(name, r -> "Processed".equals(VeleroCluster.phase(r)), true)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new OperationTimeoutException("Velero did not process DeleteBackupRequest '" + name + "' for backup '" + backupName
                    + "' within " + timeout + "; it stays and Velero deletes the backup when it gets to it."
                    + " Is the Velero server running in namespace " + cluster.namespace() + "?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationTimeoutException("Interrupted while waiting for Velero to delete backup '" + backupName + "'.");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (processed != null) {
            List<String> errors = new ArrayList<>();
            VeleroStatus.tree(processed).path("status").path("errors").forEach(n -> errors.add(n.asText()));
            if (!errors.isEmpty()) {
                throw new KBackupException("Velero could not delete backup '" + backupName + "': " + String.join("; ", errors), false);
            }
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return b;
    }
}

package io.kbackup.core.velero;

import io.kbackup.KBackupException;

/**
 * The cluster has no Velero: the API server does not serve the {@code velero.io/v1} custom
 * resources. Install Velero (its CRDs and server) or use {@code KBackup.direct(client)}, which
 * needs no Velero. Not retryable as is.
 */
public class VeleroNotInstalledException extends KBackupException {
    private static final long serialVersionUID = 1L;

    public VeleroNotInstalledException(String message) {
        super(message, false);
    }
}

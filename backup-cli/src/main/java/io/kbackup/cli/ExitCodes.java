package io.kbackup.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.ClusterRefusedException;
import io.kbackup.CorruptBackupException;
import io.kbackup.InvalidPlanException;
import io.kbackup.KBackupException;
import io.kbackup.NotFoundException;
import io.kbackup.OperationTimeoutException;
import io.kbackup.StorageDeniedException;
import io.kbackup.StorageException;
import io.kbackup.StorageUnreachableException;
import io.kbackup.ValidationResult;

/** The CLI's exit codes, one per kind of error, so that scripts can tell them apart (listed in {@code --help}). */
final class ExitCodes {
    /** Done, and the backup or restore (if any) ended Completed. */
    static final int OK = 0;
    /** The backup or restore ran but did not end Completed, or another kbackup error. */
    static final int FAILED = 1;
    /** The command line is wrong (unknown option, missing argument, bad value). */
    static final int USAGE = 2;
    /** No such backup, restore or bucket. */
    static final int NOT_FOUND = 3;
    /** The plan or the location's settings are invalid (nothing was changed). */
    static final int INVALID = 4;
    /** The storage endpoint cannot be reached (DNS, connection, TLS, timeout). */
    static final int STORAGE_UNREACHABLE = 5;
    /** The storage refused the credentials or denied access. */
    static final int STORAGE_DENIED = 6;
    /** Another storage error. */
    static final int STORAGE = 7;
    /** The cluster refused a request (RBAC, admission, conflict) or cannot be reached. */
    static final int CLUSTER = 8;
    /** The backup failed the integrity checks ({@code backup verify} found a problem, or a restore refused it); nothing was restored. */
    static final int CORRUPT = 9;
    /** The wait timed out; the backup or restore goes on. */
    static final int TIMEOUT = 10;
    /** A bug: an unexpected error (run with --verbose and report it). */
    static final int INTERNAL = 70;

    private ExitCodes() {
    }

    /** The exit code of an exception the command threw. */
    static int of(Throwable e) {
        if (e instanceof CliException c) {
            return c.exitCode();
        }
        if (e instanceof NotFoundException) {
            return NOT_FOUND;
        }
        if (e instanceof InvalidPlanException) {
            return INVALID;
        }
        if (e instanceof StorageUnreachableException) {
            return STORAGE_UNREACHABLE;
        }
        if (e instanceof StorageDeniedException) {
            return STORAGE_DENIED;
        }
        if (e instanceof StorageException) {
            return STORAGE;
        }
        if (e instanceof ClusterRefusedException || e instanceof KubernetesClientException) {
            return CLUSTER;
        }
        if (e instanceof CorruptBackupException) {
            return CORRUPT;
        }
        if (e instanceof OperationTimeoutException) {
            return TIMEOUT;
        }
        if (e instanceof KBackupException) {
            return FAILED;
        }
        return INTERNAL;
    }

    /** The exit code of a failed location validation: that of its first problem. */
    static int of(ValidationResult result) {
        if (result.isOk()) {
            return OK;
        }
        return switch (result.problems().get(0).kind()) {
            case BUCKET_MISSING -> NOT_FOUND;
            case ACCESS_DENIED, BAD_CREDENTIALS -> STORAGE_DENIED;
            case UNREACHABLE -> STORAGE_UNREACHABLE;
            case INVALID_CONFIGURATION -> INVALID;
            default -> STORAGE;
        };
    }
}

package io.kbackup;

import java.util.Objects;

/**
 * One error or warning of a backup or restore, as Velero keeps them in {@code <name>-results.gz}
 * and {@code restore-<name>-results.gz}: {@code {"errors":R,"warnings":R}} with
 * {@code R = {"velero":[...],"cluster":[...],"namespaces":{"ns":[...]}}}. Read with
 * {@link BackupClient#backupResults} and {@link BackupClient#restoreResults}.
 *
 * @param severity  error or warning
 * @param scope     what the message is about: the run itself, a cluster-scoped item, or a namespace
 * @param namespace the namespace when {@code scope} is {@link Scope#NAMESPACE}, else null
 * @param message   the text
 */
public record ResultMessage(Severity severity, Scope scope, String namespace, String message) {

    /** Error or warning. */
    public enum Severity {
        ERROR, WARNING
    }

    /** Where a message applies (Velero's {@code velero}, {@code cluster} and {@code namespaces} keys). */
    public enum Scope {
        /** The run itself (Velero's {@code velero} key). */
        VELERO,
        /** A cluster-scoped item. */
        CLUSTER,
        /** An item in {@link ResultMessage#namespace()}. */
        NAMESPACE
    }

    public ResultMessage {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(message, "message");
    }

    /** {@code velero: msg}, {@code cluster: msg} or {@code <namespace>: msg}, as the summaries show it. */
    @Override
    public String toString() {
        return (scope == Scope.NAMESPACE ? namespace : scope.name().toLowerCase(java.util.Locale.ROOT)) + ": " + message;
    }
}

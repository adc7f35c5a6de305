package io.kbackup;

import java.util.Objects;

/**
 * One item of a backup's or restore's resource list ({@code <name>-resource-list.json.gz},
 * {@code restore-<name>-resource-list.json.gz}): what was backed up, or what a restore did to
 * each item. Read with {@link BackupClient#backupResources} and {@link BackupClient#restoreResources}.
 *
 * @param apiVersion the group and version, e.g. {@code apps/v1} or {@code v1}
 * @param kind       the kind, e.g. {@code Deployment}
 * @param namespace  the namespace, or null for a cluster-scoped item
 * @param name       the name
 * @param outcome    for a restore, Velero's word for what happened ({@code created}, {@code updated},
 *                   {@code skipped}, {@code failed}); null for a backup
 */
public record ResourceEntry(String apiVersion, String kind, String namespace, String name, String outcome) {
    public ResourceEntry {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }
}

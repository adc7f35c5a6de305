package io.kbackup;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The location and the selection settings {@link BackupPlan.Builder} and {@link RestorePlan.Builder} share, as
 * Velero's backup and restore specs share them: namespaces, resources, a label selector and the
 * cluster-scoped mode. The plans validate these values when they are built.
 *
 * @param <B> the concrete builder, returned by every setter
 */
abstract class SelectionBuilder<B extends SelectionBuilder<B>> {
    BackupLocation location;
    ClusterWideMode clusterWideMode = ClusterWideMode.AUTO;
    Collection<String> includedNamespaces = List.of();
    Collection<String> excludedNamespaces = List.of();
    Map<String, String> labelSelector = new LinkedHashMap<>();
    Collection<String> includedResources = List.of();
    Collection<String> excludedResources = List.of();

    SelectionBuilder() {}

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Where the backups go (a backup plan) or are (a restore plan). Required. */
    public B location(BackupLocation location) {
        this.location = location;
        return self();
    }

    /** Cluster-scoped resources: ALWAYS, AUTO (default), NEVER. */
    public B clusterWideMode(ClusterWideMode mode) {
        this.clusterWideMode = Objects.requireNonNull(mode, "clusterWideMode");
        return self();
    }

    /** Namespaces to include; none (the default) means all. */
    public B includedNamespaces(String... namespaces) {
        return includedNamespaces(List.of(namespaces));
    }

    /** Namespaces to include; empty means all. */
    public B includedNamespaces(Collection<String> namespaces) {
        this.includedNamespaces = List.copyOf(namespaces);
        return self();
    }

    /** Namespaces to leave out. */
    public B excludedNamespaces(String... namespaces) {
        return excludedNamespaces(List.of(namespaces));
    }

    /** Namespaces to leave out. */
    public B excludedNamespaces(Collection<String> namespaces) {
        this.excludedNamespaces = List.copyOf(namespaces);
        return self();
    }

    /** Only objects with all these labels (matchLabels). */
    public B labelSelector(Map<String, String> matchLabels) {
        this.labelSelector = new LinkedHashMap<>(matchLabels);
        return self();
    }

    /** Resources to include, as {@code plural} or {@code plural.group}; empty means all. */
    public B includedResources(String... resources) {
        this.includedResources = List.of(resources);
        return self();
    }

    /** Resources to leave out, as {@code plural} or {@code plural.group}. */
    public B excludedResources(String... resources) {
        this.excludedResources = List.of(resources);
        return self();
    }
}

package io.kbackup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings {@link BackupPlan} and {@link RestorePlan} share, as Velero's backup and restore
 * specs share them: the location, and the selection (namespaces, resources, a label selector and
 * the cluster-scoped mode), validated when the plan is built.
 */
abstract class SelectionPlan extends ValueObject {
    private final BackupLocation location;
    private final ClusterWideMode clusterWideMode;
    private final Set<String> includedNamespaces;
    private final Set<String> excludedNamespaces;
    private final Map<String, String> labelSelector;
    private final List<String> includedResources;
    private final List<String> excludedResources;

    SelectionPlan(SelectionBuilder<?> b) {
        this.location = b.location;
        this.clusterWideMode = b.clusterWideMode;
        this.includedNamespaces = Checks.namespaces("includedNamespaces", b.includedNamespaces);
        this.excludedNamespaces = Checks.namespaces("excludedNamespaces", b.excludedNamespaces);
        this.labelSelector = Checks.labels("labelSelector", b.labelSelector);
        this.includedResources = Checks.resources("includedResources", b.includedResources);
        this.excludedResources = Checks.resources("excludedResources", b.excludedResources);
        Checks.disjoint("includedNamespaces", includedNamespaces, "excludedNamespaces", excludedNamespaces);
    }

    /** Where the backups are: written to by a backup plan, read from by a restore plan. Never null. */
    public BackupLocation location() {
        return location;
    }

    /** Which cluster-scoped resources are included. Default {@link ClusterWideMode#AUTO}. */
    public ClusterWideMode clusterWideMode() {
        return clusterWideMode;
    }

    /** Namespaces to include (to back up, or of the backup to restore); empty (or {@code *}) means all. */
    public Set<String> includedNamespaces() {
        return includedNamespaces;
    }

    /** Namespaces to leave out. */
    public Set<String> excludedNamespaces() {
        return excludedNamespaces;
    }

    /** Whether the plan covers all namespaces, as Velero counts it: no includes (or {@code *}) and no excludes. */
    public boolean coversAllNamespaces() {
        return Checks.allNamespaces(includedNamespaces, excludedNamespaces);
    }

    /** Only objects carrying all these labels (matchLabels); empty means no label filter. */
    public Map<String, String> labelSelector() {
        return labelSelector;
    }

    /** Resources to include ({@code plural} or {@code plural.group}); empty means all. */
    public List<String> includedResources() {
        return includedResources;
    }

    /** Resources to leave out ({@code plural} or {@code plural.group}). */
    public List<String> excludedResources() {
        return excludedResources;
    }

    /** {@code b} holding this plan's location and selection. */
    <B extends SelectionBuilder<B>> B copySelection(B b) {
        b.location = location;
        b.clusterWideMode = clusterWideMode;
        b.includedNamespaces = List.copyOf(includedNamespaces);
        b.excludedNamespaces = List.copyOf(excludedNamespaces);
        b.labelSelector = new LinkedHashMap<>(labelSelector);
        b.includedResources = includedResources;
        b.excludedResources = excludedResources;
        return b;
    }

    /** The settings of the plan's own kind, in a fixed order, after the shared ones in {@link #values()}. */
    abstract List<Object> settings();

    @Override
    final List<Object> values() {
        List<Object> all = new ArrayList<>(Arrays.asList(location, clusterWideMode, includedNamespaces, excludedNamespaces,
                labelSelector, includedResources, excludedResources));
        all.addAll(settings());
        return all;
    }

    /** The selection as {@code toString()} shows it; the location by its name only (never a secret). */
    String selectionString() {
        return "location=" + location.name() + ", clusterWideMode=" + clusterWideMode + ", includedNamespaces=" + includedNamespaces
                + ", excludedNamespaces=" + excludedNamespaces
                + (labelSelector.isEmpty() ? "" : ", labelSelector=" + labelSelector)
                + (includedResources.isEmpty() ? "" : ", includedResources=" + includedResources)
                + (excludedResources.isEmpty() ? "" : ", excludedResources=" + excludedResources);
    }
}

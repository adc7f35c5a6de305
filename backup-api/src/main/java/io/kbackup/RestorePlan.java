package io.kbackup;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to restore from which backup, and how. The target cluster is the one of the
 * {@link BackupClient} the plan is given to (the same cluster, or another one). Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * RestorePlan plan = RestorePlan.builder()
 *         .location(location)
 *         .backupName("nightly-20261121020000")
 *         .namespaceMapping(Map.of("shop", "shop-copy"))
 *         .existingResourcePolicy(ExistingResourcePolicy.UPDATE)
 *         .build();
 * }</pre>
 *
 * <p>Defaults: everything in the backup, {@link ClusterWideMode#AUTO}, PVs restored, node ports not
 * preserved, {@link ExistingResourcePolicy#NONE}, no status restored, and the storage class, image
 * and node mappings of Velero's plugin ConfigMaps in namespace {@code velero} of the target cluster
 * (see {@link #pluginConfigNamespace()}).
 *
 * <p><b>Velero's ConfigMap-driven restore item actions.</b> Velero changes items on restore as
 * ConfigMaps in its namespace say, each labelled {@code velero.io/plugin-config} and
 * {@code <action>: RestoreItemAction}: {@code velero.io/change-storage-class} (data: old storage
 * class -> new one), {@code velero.io/change-image-name} (data values: {@code "<old part>,<new part>"})
 * and {@code velero.io/change-pvc-node-selector} (data: old node -> new node). A DirectEngine restore
 * reads the same ConfigMaps from the target cluster, in {@link #pluginConfigNamespace()}, so a
 * cluster set up for Velero restores the same way; {@link Builder#storageClassMapping},
 * {@link Builder#imageNameMapping} and {@link Builder#nodeMapping} give mappings in the plan
 * instead, and win over a ConfigMap's entry for the same key. The VeleroEngine's Velero reads only
 * its ConfigMaps: a plan with these mappings is refused there.
 */
public final class RestorePlan extends SelectionPlan {

    /** Velero's namespace, where its plugin ConfigMaps are read by default. */
    public static final String DEFAULT_PLUGIN_CONFIG_NAMESPACE = "velero";

    private final String backupName;
    private final String restoreName;
    private final Map<String, String> namespaceMapping;
    private final boolean restorePersistentVolumes;
    private final boolean preserveNodePorts;
    private final ExistingResourcePolicy existingResourcePolicy;
    private final boolean restoreStatus;
    private final List<String> statusIncludedResources;
    private final List<String> statusExcludedResources;
    private final Map<String, String> storageClassMapping;
    private final Map<String, String> imageNameMapping;
    private final Map<String, String> nodeMapping;
    private final String pluginConfigNamespace;
    private final PrunePolicy prunePolicy;

    private RestorePlan(Builder b) {
        super(b);
        this.backupName = b.backupName;
        this.restoreName = b.restoreName;
        this.namespaceMapping = Checks.namespaceMapping("RestorePlan namespaceMapping", b.namespaceMapping);
        this.restorePersistentVolumes = b.restorePersistentVolumes;
        this.preserveNodePorts = b.preserveNodePorts;
        this.existingResourcePolicy = b.existingResourcePolicy;
        this.restoreStatus = b.restoreStatus;
        this.statusIncludedResources = Checks.resources("restoreStatus includedResources", b.statusIncludedResources);
        this.statusExcludedResources = Checks.resources("restoreStatus excludedResources", b.statusExcludedResources);
        this.storageClassMapping = Checks.mapping("RestorePlan storageClassMapping", b.storageClassMapping);
        this.imageNameMapping = Checks.mapping("RestorePlan imageNameMapping", b.imageNameMapping);
        this.nodeMapping = Checks.mapping("RestorePlan nodeMapping", b.nodeMapping);
        if (b.pluginConfigNamespace != null) {
            Checks.namespaces("pluginConfigNamespace", List.of(b.pluginConfigNamespace));
        }
        this.pluginConfigNamespace = b.pluginConfigNamespace;
        this.prunePolicy = b.prunePolicy;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The backup to restore. */
    public String backupName() {
        return backupName;
    }

    /** A fixed restore name, if given; otherwise {@link #restoreNameAt(Instant)} makes one. */
    public Optional<String> restoreName() {
        return Optional.ofNullable(restoreName);
    }

    /** The restore name for a run starting at {@code start}: the fixed one, or {@code <backup>-<yyyyMMddHHmmss>} (Velero's). */
    public String restoreNameAt(Instant start) {
        if (restoreName != null) {
            return restoreName;
        }
        String base = backupName.length() > BackupPlan.MAX_NAME_LENGTH - 15
                ? backupName.substring(0, BackupPlan.MAX_NAME_LENGTH - 15) : backupName;
        return base + "-" + BackupPlan.NAME_TIMESTAMP.format(start);
    }

    /** Backup namespace -> target namespace. Unlisted namespaces keep their names. */
    public Map<String, String> namespaceMapping() {
        return namespaceMapping;
    }

    /** The target name of a backup namespace. */
    public String targetNamespace(String backupNamespace) {
        return namespaceMapping.getOrDefault(backupNamespace, backupNamespace);
    }

    /** Whether PersistentVolumes (and volume data) are restored. Default true. */
    public boolean restorePersistentVolumes() {
        return restorePersistentVolumes;
    }

    /** Whether Service node ports are kept. Default false (the cluster assigns new ones). */
    public boolean preserveNodePorts() {
        return preserveNodePorts;
    }

    /** What to do with objects that already exist. Default {@link ExistingResourcePolicy#NONE}. */
    public ExistingResourcePolicy existingResourcePolicy() {
        return existingResourcePolicy;
    }

    /**
     * Whether the backed-up {@code status} of some items is restored (Velero's
     * {@code spec.restoreStatus} set). Default false: every item is created without its status, as
     * Velero does. When true, an item is created without its status and then given the backed-up
     * status through its {@code /status} subresource, when its resource is in
     * {@link #restoreStatusIncludedResources()} (empty: all) and not in
     * {@link #restoreStatusExcludedResources()}. Whatever these say, an item annotated
     * {@code velero.io/restore-status: "true"} gets its status, and one annotated {@code "false"}
     * does not. Objects that already exist keep theirs.
     */
    public boolean restoreStatus() {
        return restoreStatus;
    }

    /** Resources whose status is restored when {@link #restoreStatus()}; empty means all. */
    public List<String> restoreStatusIncludedResources() {
        return statusIncludedResources;
    }

    /** Resources whose status is not restored. */
    public List<String> restoreStatusExcludedResources() {
        return statusExcludedResources;
    }

    /**
     * Storage class -> storage class, for {@code spec.storageClassName} of PersistentVolumes and
     * PersistentVolumeClaims and of a StatefulSet's {@code volumeClaimTemplates} (Velero's
     * change-storage-class action). The new class must exist in the target cluster, else the item
     * fails. Added to (and winning over) the ConfigMap labelled {@code velero.io/change-storage-class}.
     */
    public Map<String, String> storageClassMapping() {
        return storageClassMapping;
    }

    /**
     * Old image part -> new image part, for the {@code image} of containers and init containers of
     * Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs and
     * CronJobs (Velero's change-image-name action): the first entry whose old part the image
     * contains replaces every occurrence of it, e.g. {@code "registry-a:5000" -> "registry-b:5000"}.
     * Tried in order before the rows ({@code "<old>,<new>"}) of the ConfigMap labelled
     * {@code velero.io/change-image-name}.
     */
    public Map<String, String> imageNameMapping() {
        return imageNameMapping;
    }

    /**
     * Node -> node, for a claim's {@code volume.kubernetes.io/selected-node} annotation (Velero's
     * PVC action with the ConfigMap labelled {@code velero.io/change-pvc-node-selector}): a mapped
     * node is set; an unmapped one stays when the target cluster has that node and goes otherwise.
     */
    public Map<String, String> nodeMapping() {
        return nodeMapping;
    }

    /**
     * The namespace of the target cluster whose Velero plugin ConfigMaps a DirectEngine restore
     * reads (see the class description); empty when none is read. Default {@code velero}.
     */
    public Optional<String> pluginConfigNamespace() {
        return Optional.ofNullable(pluginConfigNamespace);
    }

    /** Whether the restore also deletes what the backup lacks (a reset, see {@link PrunePolicy}). Default {@link PrunePolicy#NONE}. */
    public PrunePolicy prunePolicy() {
        return prunePolicy;
    }

    /** Whether this plan is a reset: {@link PrunePolicy#PRUNE}. */
    public boolean prunes() {
        return prunePolicy == PrunePolicy.PRUNE;
    }

    /** A builder holding this plan's values. */
    public Builder toBuilder() {
        Builder b = copySelection(new Builder());
        b.backupName = backupName;
        b.restoreName = restoreName;
        b.namespaceMapping = new LinkedHashMap<>(namespaceMapping);
        b.restorePersistentVolumes = restorePersistentVolumes;
        b.preserveNodePorts = preserveNodePorts;
        b.existingResourcePolicy = existingResourcePolicy;
        b.restoreStatus = restoreStatus;
        b.statusIncludedResources = statusIncludedResources;
        b.statusExcludedResources = statusExcludedResources;
        b.storageClassMapping = new LinkedHashMap<>(storageClassMapping);
        b.imageNameMapping = new LinkedHashMap<>(imageNameMapping);
        b.nodeMapping = new LinkedHashMap<>(nodeMapping);
        b.pluginConfigNamespace = pluginConfigNamespace;
        b.prunePolicy = prunePolicy;
        return b;
    }

    @Override
    List<Object> settings() {
        return Arrays.asList(backupName, restoreName, namespaceMapping, restorePersistentVolumes, preserveNodePorts,
                existingResourcePolicy, restoreStatus, statusIncludedResources, statusExcludedResources, storageClassMapping,
                imageNameMapping, nodeMapping, pluginConfigNamespace, prunePolicy);
    }

    /** Never prints a secret: the location shows its name only. */
    @Override
    public String toString() {
        return "RestorePlan[backup=" + backupName + (restoreName != null ? ", restoreName=" + restoreName : "")
                + ", " + selectionString() + ", namespaceMapping=" + namespaceMapping
                + ", restorePersistentVolumes=" + restorePersistentVolumes
                + ", preserveNodePorts=" + preserveNodePorts + ", existingResourcePolicy=" + existingResourcePolicy
                + (restoreStatus ? ", restoreStatus=[included=" + statusIncludedResources + ", excluded=" + statusExcludedResources + "]" : "")
                + (storageClassMapping.isEmpty() ? "" : ", storageClassMapping=" + storageClassMapping)
                + (imageNameMapping.isEmpty() ? "" : ", imageNameMapping=" + imageNameMapping)
                + (nodeMapping.isEmpty() ? "" : ", nodeMapping=" + nodeMapping)
                + (DEFAULT_PLUGIN_CONFIG_NAMESPACE.equals(pluginConfigNamespace) ? "" : ", pluginConfigNamespace=" + pluginConfigNamespace)
                + (prunePolicy == PrunePolicy.NONE ? "" : ", prunePolicy=" + prunePolicy) + "]";
    }

    /** Builds a {@link RestorePlan}; {@link #build()} validates. Not thread-safe. */
    public static final class Builder extends SelectionBuilder<Builder> {
        private String backupName;
        private String restoreName;
        private Map<String, String> namespaceMapping = new LinkedHashMap<>();
        private boolean restorePersistentVolumes = true;
        private boolean preserveNodePorts;
        private ExistingResourcePolicy existingResourcePolicy = ExistingResourcePolicy.NONE;
        private boolean restoreStatus;
        private List<String> statusIncludedResources = List.of();
        private List<String> statusExcludedResources = List.of();
        private Map<String, String> storageClassMapping = new LinkedHashMap<>();
        private Map<String, String> imageNameMapping = new LinkedHashMap<>();
        private Map<String, String> nodeMapping = new LinkedHashMap<>();
        private String pluginConfigNamespace = DEFAULT_PLUGIN_CONFIG_NAMESPACE;
        private PrunePolicy prunePolicy = PrunePolicy.NONE;

        private Builder() {}

        /**
         * Restores the backed-up status of these resources (Velero's {@code spec.restoreStatus}); see
         * {@link RestorePlan#restoreStatus()}. Resources as in {@code includedResources}; an empty
         * {@code includedResources} means all.
         */
        public Builder restoreStatus(List<String> includedResources, List<String> excludedResources) {
            this.restoreStatus = true;
            this.statusIncludedResources = List.copyOf(includedResources);
            this.statusExcludedResources = List.copyOf(excludedResources);
            return this;
        }

        /** Storage class -> storage class; see {@link RestorePlan#storageClassMapping()}. */
        public Builder storageClassMapping(Map<String, String> mapping) {
            this.storageClassMapping = new LinkedHashMap<>(mapping);
            return this;
        }

        /** Old image part -> new image part, tried in the map's order; see {@link RestorePlan#imageNameMapping()}. */
        public Builder imageNameMapping(Map<String, String> mapping) {
            this.imageNameMapping = new LinkedHashMap<>(mapping);
            return this;
        }

        /** Node -> node for claims' selected-node annotation; see {@link RestorePlan#nodeMapping()}. */
        public Builder nodeMapping(Map<String, String> mapping) {
            this.nodeMapping = new LinkedHashMap<>(mapping);
            return this;
        }

        /**
         * Where the DirectEngine reads Velero's plugin ConfigMaps; null to read none. Default
         * {@code velero}. See {@link RestorePlan#pluginConfigNamespace()}.
         */
        public Builder pluginConfigNamespace(String namespace) {
            this.pluginConfigNamespace = namespace;
            return this;
        }

        /** The backup to restore. Required. */
        public Builder backupName(String backupName) {
            this.backupName = backupName;
            return this;
        }

        /** A fixed restore name; default {@code <backup>-<yyyyMMddHHmmss>}. */
        public Builder restoreName(String restoreName) {
            this.restoreName = restoreName;
            return this;
        }

        /** Backup namespace -> target namespace. */
        public Builder namespaceMapping(Map<String, String> mapping) {
            this.namespaceMapping = new LinkedHashMap<>(mapping);
            return this;
        }

        /** Restore PersistentVolumes and their data. Default true. */
        public Builder restorePersistentVolumes(boolean restore) {
            this.restorePersistentVolumes = restore;
            return this;
        }

        /** Keep Service node ports. Default false. */
        public Builder preserveNodePorts(boolean preserve) {
            this.preserveNodePorts = preserve;
            return this;
        }

        /** What to do with objects that already exist. Default NONE. */
        public Builder existingResourcePolicy(ExistingResourcePolicy policy) {
            this.existingResourcePolicy = Objects.requireNonNull(policy, "existingResourcePolicy");
            return this;
        }

        /** Whether the restore also deletes what the backup lacks (see {@link PrunePolicy}). Default NONE. */
        public Builder prune(PrunePolicy policy) {
            this.prunePolicy = Objects.requireNonNull(policy, "prunePolicy");
            return this;
        }

        /**
         * A reset: puts the selection back to the backup exactly, acting only on what differs
         * (created objects deleted, changed ones reverted, deleted ones recreated). Sets
         * {@link ExistingResourcePolicy#UPDATE} and {@link PrunePolicy#PRUNE}; what is pruned and
         * what is never touched is in {@link PrunePolicy}.
         */
        public Builder reset() {
            return existingResourcePolicy(ExistingResourcePolicy.UPDATE).prune(PrunePolicy.PRUNE);
        }

        /**
         * Validates and builds.
         *
         * @throws InvalidPlanException naming the field that is wrong and what to do
         */
        public RestorePlan build() {
            if (location == null) {
                throw new InvalidPlanException("RestorePlan: location (where the backup is) is required.");
            }
            if (backupName == null || backupName.isBlank()) {
                throw new InvalidPlanException("RestorePlan: backupName is required; list backups with BackupClient.listBackups(location).");
            }
            Checks.backupName("RestorePlan backupName", backupName, 253);
            if (restoreName != null) {
                Checks.backupName("RestorePlan restoreName", restoreName, BackupPlan.MAX_NAME_LENGTH);
            }
            RestorePlan plan = new RestorePlan(this);
            if (plan.prunes()) {
                if (plan.coversAllNamespaces() && plan.labelSelector().isEmpty()) {
                    throw new InvalidPlanException("RestorePlan prune (reset) needs includedNamespaces or a labelSelector: pruning"
                            + " every namespace would delete whatever the backup lacks in the whole cluster. Name the namespaces"
                            + " to reset.");
                }
                if (plan.clusterWideMode() == ClusterWideMode.ALWAYS && plan.labelSelector().isEmpty()) {
                    throw new InvalidPlanException("RestorePlan prune (reset) with clusterWideMode ALWAYS needs a labelSelector:"
                            + " without one it would delete every cluster-scoped object the backup lacks (the cluster's own"
                            + " roles, CRDs, webhooks). Add a labelSelector, or use clusterWideMode AUTO or NEVER.");
                }
            }
            return plan;
        }
    }
}

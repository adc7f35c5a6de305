package io.kbackup.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks that a restore reproduced a set of source objects in a target cluster.
 *
 * <p>Each source object is read from the source cluster and looked up in the target cluster under its mapped
 * namespace. Both sides are normalised by removing what a Velero-compatible restore resets or what the API server
 * assigns, then compared field by field:
 * <ul>
 *   <li>metadata {@code uid}, {@code resourceVersion}, {@code creationTimestamp}, {@code generation},
 *       {@code managedFields}, {@code ownerReferences}, {@code selfLink}, {@code generateName}, deletion fields;</li>
 *   <li>the whole {@code status};</li>
 *   <li>the labels a restore adds: {@code velero.io/backup-name}, {@code velero.io/restore-name}, and a claim's
 *       {@code velero.io/volume-snapshot-name} (label and annotation, as Velero's CSI plugin marks it); the namespace
 *       label {@code kubernetes.io/metadata.name} the API server maintains;</li>
 *   <li>Service {@code clusterIP}/{@code clusterIPs} (unless headless), {@code nodePort}s and
 *       {@code healthCheckNodePort};</li>
 *   <li>Pod {@code nodeName} and {@code priority};</li>
 *   <li>PersistentVolume {@code claimRef.uid}/{@code resourceVersion} (the claim's namespace is compared mapped);
 *       the bind annotations {@code pv.kubernetes.io/bind-completed} and {@code pv.kubernetes.io/bound-by-controller}
 *       of volumes and claims (Velero's {@code resetVolumeBindingInfo}); PersistentVolumeClaim
 *       {@code volume.kubernetes.io/selected-node}, and {@code volumeName} when its volume is provisioned again
 *       (reclaim policy Delete, no snapshot).</li>
 * </ul>
 *
 * <p>Objects Velero never restores are expected to be absent and reported as "not restored by design": nodes,
 * pods in phase Succeeded/Failed, Jobs with a completion time, PersistentVolumes with reclaim policy Delete and
 * no snapshot, and (when the backup included disks) CSI PersistentVolumes, whose claims must then come back with a
 * {@code spec.dataSource} naming a VolumeSnapshot. If one of them is present in the target, that is reported as a
 * mismatch.
 *
 * <p>Differences are reported as field paths only, never values, so secrets are not printed.
 */
public final class RoundTripCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RESET_METADATA = Set.of("uid", "resourceVersion", "creationTimestamp", "generation",
            "managedFields", "ownerReferences", "selfLink", "generateName", "deletionTimestamp",
            "deletionGracePeriodSeconds");
    private static final Set<String> ADDED_LABELS = Set.of("velero.io/backup-name", "velero.io/restore-name",
            "velero.io/volume-snapshot-name");
    private static final Set<String> BIND_ANNOTATIONS = Set.of("pv.kubernetes.io/bind-completed",
            "pv.kubernetes.io/bound-by-controller");

    /** One object whose restored copy differs from its source. */
    public record Mismatch(ObjectRef source, ObjectRef target, List<String> paths) {
        public Mismatch {
            paths = List.copyOf(paths);
        }

        @Override
        public String toString() {
            return source + (source.equals(target) ? "" : " (as " + target + ")") + ": " + String.join(", ", paths);
        }
    }

    /**
     * The outcome of a check.
     *
     * @param matched              objects whose restored copy equals the source after normalisation
     * @param notRestoredByDesign  objects a Velero-compatible restore skips, with the reason
     * @param missing              objects that should have been restored but are absent in the target
     * @param mismatches           objects restored with different content (or restored though they should not be)
     */
    public record Result(List<ObjectRef> matched, Map<ObjectRef, String> notRestoredByDesign, List<ObjectRef> missing,
                         List<Mismatch> mismatches) {
        public Result {
            matched = List.copyOf(matched);
            notRestoredByDesign = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(notRestoredByDesign));
            missing = List.copyOf(missing);
            mismatches = List.copyOf(mismatches);
        }

        /** True when nothing is missing and nothing differs. */
        public boolean passed() {
            return missing.isEmpty() && mismatches.isEmpty();
        }

        /** The reasons for skipped objects with their counts, e.g. {@code nodes are never restored: 3}. */
        public Map<String, Integer> skippedByReason() {
            Map<String, Integer> counts = new LinkedHashMap<>();
            notRestoredByDesign.values().forEach(r -> counts.merge(r, 1, Integer::sum));
            return counts;
        }
    }

    private final KubernetesClient source;
    private final KubernetesClient target;
    private final Map<String, String> namespaceMapping;
    private final boolean csiSnapshots;

    /**
     * A check for a backup without volume snapshots.
     *
     * @param source           the cluster the backup was taken from; not null
     * @param target           the cluster restored into; not null
     * @param namespaceMapping the restore's namespace mapping (source namespace to target namespace); not null
     */
    public RoundTripCheck(KubernetesClient source, KubernetesClient target, Map<String, String> namespaceMapping) {
        this(source, target, namespaceMapping, false);
    }

    /**
     * @param source           the cluster the backup was taken from; not null
     * @param target           the cluster restored into; not null
     * @param namespaceMapping the restore's namespace mapping (source namespace to target namespace); not null
     * @param csiSnapshots     whether the backup included disks, so that every CSI volume was snapshotted: its
     *                         PersistentVolume is then expected to be absent and its claim to be provisioned from a
     *                         VolumeSnapshot ({@code spec.dataSource})
     */
    public RoundTripCheck(KubernetesClient source, KubernetesClient target, Map<String, String> namespaceMapping,
                          boolean csiSnapshots) {
        this.source = Objects.requireNonNull(source, "source");
        this.target = Objects.requireNonNull(target, "target");
        this.namespaceMapping = Map.copyOf(namespaceMapping);
        this.csiSnapshots = csiSnapshots;
    }

    /**
     * Compares each of {@code objects} (as they are now in the source cluster) with its restored copy.
     *
     * @param objects references of source objects, e.g. what {@link SampleApp#seed} returned
     * @return the outcome; objects no longer in the source are reported missing
     */
    public Result check(List<ObjectRef> objects) {
        List<ObjectRef> matched = new ArrayList<>();
        Map<ObjectRef, String> skipped = new LinkedHashMap<>();
        List<ObjectRef> missing = new ArrayList<>();
        List<Mismatch> mismatches = new ArrayList<>();
        Set<String> reprovisionedClaims = new TreeSet<>();
        Set<String> snapshottedClaims = new TreeSet<>();

        List<Map<String, Object>> sources = new ArrayList<>();
        for (ObjectRef ref : objects) {
            Map<String, Object> obj = read(source, ref);
            sources.add(obj);
            if (obj != null && ref.kind().equals("PersistentVolume") && skipReason(ref, obj) != null) {
                Object claimNs = path(obj, "spec", "claimRef", "namespace");
                Object claimName = path(obj, "spec", "claimRef", "name");
                if (claimNs != null && claimName != null) {
                    reprovisionedClaims.add(claimNs + "/" + claimName);
                    if (snapshotted(obj)) {
                        snapshottedClaims.add(claimNs + "/" + claimName);
                    }
                }
            }
        }
        for (int i = 0; i < objects.size(); i++) {
            ObjectRef ref = objects.get(i);
            Map<String, Object> src = sources.get(i);
            if (src == null) {
                missing.add(ref);
                continue;
            }
            ObjectRef targetRef = mapped(ref);
            Map<String, Object> restored = read(target, targetRef);
            String skipReason = skipReason(ref, src);
            if (skipReason != null) {
                if (restored == null) {
                    skipped.put(ref, skipReason);
                } else {
                    mismatches.add(new Mismatch(ref, targetRef, List.of("restored, but a Velero restore skips it (" + skipReason + ")")));
                }
                continue;
            }
            if (restored == null) {
                missing.add(targetRef);
                continue;
            }
            boolean reprovisioned = ref.kind().equals("PersistentVolumeClaim")
                    && reprovisionedClaims.contains(ref.namespace() + "/" + ref.name());
            List<String> diffs = new ArrayList<>();
            if (ref.kind().equals("PersistentVolumeClaim") && snapshottedClaims.contains(ref.namespace() + "/" + ref.name())) {
                restored = withoutSnapshotSource(restored, diffs);
            }
            diff("", normalise(src, true, reprovisioned), normalise(restored, false, reprovisioned), diffs);
            if (diffs.isEmpty()) {
                matched.add(ref);
            } else {
                mismatches.add(new Mismatch(ref, targetRef, diffs));
            }
        }
        return new Result(matched, skipped, missing, mismatches);
    }

    private ObjectRef mapped(ObjectRef ref) {
        if (ref.kind().equals("Namespace") && ref.apiVersion().equals("v1")) {
            return new ObjectRef(ref.apiVersion(), ref.kind(), null, namespaceMapping.getOrDefault(ref.name(), ref.name()));
        }
        return ref.clusterScoped() ? ref : ref.inNamespace(namespaceMapping.getOrDefault(ref.namespace(), ref.namespace()));
    }

    /** A CSI volume a backup with disks snapshotted. */
    private boolean snapshotted(Map<String, Object> pv) {
        return csiSnapshots && path(pv, "spec", "csi") != null;
    }

    /**
     * The restored claim without {@code spec.dataSource}/{@code dataSourceRef}, which must name a VolumeSnapshot;
     * a missing or different data source is added to {@code diffs}.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutSnapshotSource(Map<String, Object> claim, List<String> diffs) {
        Map<String, Object> copy = JSON.convertValue(claim, LinkedHashMap.class);
        Map<String, Object> spec = (Map<String, Object>) copy.get("spec");
        Object ds = spec == null ? null : spec.remove("dataSource");
        if (!(ds instanceof Map<?, ?> d) || !"VolumeSnapshot".equals(d.get("kind"))
                || !"snapshot.storage.k8s.io".equals(d.get("apiGroup"))) {
            diffs.add("spec.dataSource (expected a VolumeSnapshot: the claim's volume was snapshotted)");
        }
        if (spec != null && spec.get("dataSourceRef") instanceof Map<?, ?> r && "VolumeSnapshot".equals(r.get("kind"))) {
            spec.remove("dataSourceRef");
        }
        return copy;
    }

    private String skipReason(ObjectRef ref, Map<String, Object> src) {
        switch (ref.kind()) {
            case "Node":
                return "nodes are never restored";
            case "Pod":
                Object phase = path(src, "status", "phase");
                if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                    return "completed pods are skipped";
                }
                return null;
            case "Job":
                return path(src, "status", "completionTime") != null ? "completed jobs are skipped" : null;
            case "PersistentVolume":
                if (snapshotted(src)) {
                    return "volumes with a CSI snapshot are provisioned again from it";
                }
                return "Delete".equals(path(src, "spec", "persistentVolumeReclaimPolicy"))
                        ? "volumes with reclaim policy Delete and no snapshot are provisioned again" : null;
            default:
                return null;
        }
    }

    private static Map<String, Object> read(KubernetesClient client, ObjectRef ref) {
        var op = client.genericKubernetesResources(ref.apiVersion(), ref.kind());
        GenericKubernetesResource found = ref.clusterScoped()
                ? op.withName(ref.name()).get()
                : op.inNamespace(ref.namespace()).withName(ref.name()).get();
        if (found == null) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = JSON.convertValue(found, Map.class);
        return map;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> normalise(Map<String, Object> obj, boolean isSource, boolean reprovisionedClaim) {
        Map<String, Object> o = JSON.convertValue(obj, LinkedHashMap.class); // deep copy
        o.remove("status");
        String kind = String.valueOf(o.get("kind"));
        Map<String, Object> meta = (Map<String, Object>) o.get("metadata");
        if (meta != null) {
            RESET_METADATA.forEach(meta::remove);
            if (isSource && meta.get("namespace") != null) {
                meta.put("namespace", namespaceMapping.getOrDefault((String) meta.get("namespace"), (String) meta.get("namespace")));
            }
            if (kind.equals("Namespace") && isSource) {
                meta.put("name", namespaceMapping.getOrDefault((String) meta.get("name"), (String) meta.get("name")));
            }
            Map<String, Object> labels = (Map<String, Object>) meta.get("labels");
            if (labels != null) {
                ADDED_LABELS.forEach(labels::remove);
                if (kind.equals("Namespace")) {
                    labels.remove("kubernetes.io/metadata.name");
                }
                if (labels.isEmpty()) {
                    meta.remove("labels");
                }
            }
            Map<String, Object> annotations = (Map<String, Object>) meta.get("annotations");
            if (annotations != null) {
                if (kind.equals("PersistentVolumeClaim")) {
                    annotations.remove("volume.kubernetes.io/selected-node");
                    // the claim's snapshot, as Velero's CSI plugin marks a claim it restores from one
                    annotations.remove("velero.io/volume-snapshot-name");
                }
                if (kind.equals("PersistentVolumeClaim") || kind.equals("PersistentVolume")) {
                    BIND_ANNOTATIONS.forEach(annotations::remove);
                }
                if (annotations.isEmpty()) {
                    meta.remove("annotations");
                }
            }
        }
        Map<String, Object> spec = (Map<String, Object>) o.get("spec");
        if (spec != null) {
            switch (kind) {
                case "Service" -> {
                    if (!"None".equals(spec.get("clusterIP"))) {
                        spec.remove("clusterIP");
                        spec.remove("clusterIPs");
                    }
                    spec.remove("healthCheckNodePort");
                    if (spec.get("ports") instanceof List<?> ports) {
                        ports.forEach(p -> ((Map<String, Object>) p).remove("nodePort"));
                    }
                }
                case "Pod" -> {
                    spec.remove("nodeName");
                    spec.remove("priority");
                }
                case "PersistentVolumeClaim" -> {
                    if (reprovisionedClaim) {
                        spec.remove("volumeName");
                    }
                }
                case "PersistentVolume" -> {
                    if (spec.get("claimRef") instanceof Map<?, ?> claimRef) {
                        Map<String, Object> c = (Map<String, Object>) claimRef;
                        c.remove("uid");
                        c.remove("resourceVersion");
                        if (isSource && c.get("namespace") instanceof String ns) {
                            c.put("namespace", namespaceMapping.getOrDefault(ns, ns));
                        }
                    }
                }
                default -> {
                }
            }
        }
        return o;
    }

    @SuppressWarnings("unchecked")
    private static void diff(String at, Object expected, Object actual, List<String> out) {
        if (Objects.equals(expected, actual)) {
            return;
        }
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            Set<String> keys = new TreeSet<>();
            ((Map<String, Object>) e).keySet().forEach(keys::add);
            ((Map<String, Object>) a).keySet().forEach(keys::add);
            for (String k : keys) {
                diff(at.isEmpty() ? k : at + "." + k, e.get(k), a.get(k), out);
            }
            return;
        }
        if (expected instanceof List<?> e && actual instanceof List<?> a && e.size() == a.size()) {
            Iterator<?> ie = e.iterator();
            Iterator<?> ia = a.iterator();
            for (int i = 0; ie.hasNext(); i++) {
                diff(at + "[" + i + "]", ie.next(), ia.next(), out);
            }
            return;
        }
        out.add(expected == null ? at + " (added)" : actual == null ? at + " (missing)" : at + " (differs)");
    }

    @SuppressWarnings("unchecked")
    private static Object path(Map<String, Object> obj, String... keys) {
        Object cur = obj;
        for (String k : keys) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = ((Map<String, Object>) m).get(k);
        }
        return cur;
    }
}

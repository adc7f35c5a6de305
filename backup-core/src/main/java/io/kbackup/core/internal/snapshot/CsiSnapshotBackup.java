package io.kbackup.core.internal.snapshot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.ClusterRefusedException;
import io.kbackup.InvalidPlanException;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.core.internal.kube.ApiResource;
import io.kbackup.core.internal.kube.KubeRetry;
import io.kbackup.core.internal.kube.PagedLister;
import io.kbackup.core.internal.layout.GzipJson;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * CSI volume snapshots of a DirectEngine backup that includes all disks ({@code BackupPlan.includeAllDisks()}).
 *
 * <p>{@link #preflight} runs before anything is created: the {@code snapshot.storage.k8s.io/v1}
 * resources must be served; every included claim is looked at (bound? CSI volume? used by a pod on
 * a node in maintenance mode?) and gets its VolumeSnapshotClass ({@link SnapshotClassSelector});
 * a driver without a class refuses the backup or skips its volumes
 * ({@link DirectOptions#snapshotMissingClassPolicy()}); a class whose deletionPolicy is not
 * {@code Retain} is a warning, or refuses the backup with
 * {@link DirectOptions#strictSnapshotDeletionPolicy()}.
 *
 * <p>{@link #take} then creates one VolumeSnapshot per volume ({@code velero-<pvc>-<hash>}, labelled
 * {@code velero.io/backup-name}) with at most {@link DirectOptions#snapshotConcurrency()} in flight,
 * and polls them with backoff (100 ms growing to 2 s) until {@code status.readyToUse} and
 * {@code status.boundVolumeSnapshotContentName}, {@code status.error}, or
 * {@link DirectOptions#snapshotReadyTimeout()}. Failures are errors naming the volume (the backup
 * ends PartiallyFailed). What it produced: {@link #items()} (the VolumeSnapshots and their contents,
 * for the tarball), {@link #volumeInfo()} (Velero's {@code <name>-volumeinfo.json.gz} records, one
 * per volume, skipped ones included) and the attempted/completed counts. Used by one backup thread.
 */
public final class CsiSnapshotBackup {

    /** Which claims the backup includes (its namespace, label and resource filters). */
    public interface ClaimScope {
        /** Namespaces to list claims in, or null for all. */
        List<String> namespaces();

        /** Whether the backup includes this claim. */
        boolean includes(GenericKubernetesResource claim);
    }

    /** Where messages go: the backup's log and results. */
    public interface Report {
        void info(String message);

        void warning(String namespace, String message);

        void error(String namespace, String message);
    }

    private static final ApiResource PVCS = new ApiResource("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim",
            "persistentvolumeclaim", true, Set.of("list"), List.of("pvc"));
    private static final ApiResource PVS = new ApiResource("", "v1", "persistentvolumes", "PersistentVolume",
            "persistentvolume", false, Set.of("list"), List.of("pv"));
    private static final ApiResource PODS = new ApiResource("", "v1", "pods", "Pod", "pod", true, Set.of("list"), List.of("po"));
    private static final long FIRST_PAUSE_MS = 100;
    private static final long MAX_PAUSE_MS = 2_000;

    /** A volume to snapshot. */
    private record Volume(String namespace, String claim, String pvName, String driver, SnapshotClassSelector.Choice cls,
            GenericKubernetesResource pv) {
        String key() {
            return namespace + "/" + claim;
        }
    }

    /** A snapshot in flight. */
    private static final class Pending {
        final Volume volume;
        final String name;
        final Instant started;
        final long deadline;
        long nextCheck;

        Pending(Volume volume, String name, Instant started, long deadline) {
            this.volume = volume;
            this.name = name;
            this.started = started;
            this.deadline = deadline;
        }
    }

    private final KubernetesClient client;
    private final DirectOptions options;
    private final KubeRetry retry;
    private final String backupName;
    private final List<Volume> volumes;
    private final List<ObjectNode> skipped;
    private final List<String[]> preflightWarnings;
    private final List<GenericKubernetesResource> items = new ArrayList<>();
    private final ArrayNode volumeInfo = GzipJson.MAPPER.createArrayNode();
    /** {@code namespace/claim} -> name of its ready VolumeSnapshot. */
    private final Map<String, String> readyByClaim = new HashMap<>();
    private int attempted;
    private int completed;

    private CsiSnapshotBackup(KubernetesClient client, DirectOptions options, String backupName, List<Volume> volumes,
            List<ObjectNode> skipped, List<String[]> preflightWarnings) {
        this.client = client;
        this.options = options;
        this.retry = KubeRetry.of(options);
        this.backupName = backupName;
        this.volumes = volumes;
        this.skipped = skipped;
        this.preflightWarnings = preflightWarnings;
    }

    /**
     * Checks the cluster and decides what to snapshot; creates nothing.
     *
     * @throws InvalidPlanException when the snapshot API is not served, a driver has no class (policy
     *                              FAIL) or a class does not retain its snapshots (strict mode)
     * @throws ClusterRefusedException when the cluster cannot be read
     */
    public static CsiSnapshotBackup preflight(KubernetesClient client, DirectOptions options, String backupName, ClaimScope scope) {
        try {
            return check(client, options, backupName, scope);
        } catch (KubernetesClientException e) {
            throw new ClusterRefusedException("Include all disks: could not read the cluster's volumes and snapshot classes for the"
                    + " snapshot pre-flight: " + KubeRetry.describe(e) + ". Nothing was created.", e.getCode(), e);
        }
    }

    private static CsiSnapshotBackup check(KubernetesClient client, DirectOptions options, String backupName, ClaimScope scope) {
        Set<String> missing = SnapshotApi.missingResources(client);
        if (!missing.isEmpty()) {
            throw new InvalidPlanException("BackupPlan: include all disks needs CSI volume snapshots, but the cluster does not serve "
                    + SnapshotApi.API_VERSION + " " + String.join(", ", missing) + ". Install the external-snapshotter CRDs and"
                    + " snapshot controller (and a VolumeSnapshotClass per CSI driver), or set includeAllDisks(false).");
        }
        KubeRetry retry = KubeRetry.of(options);
        PagedLister lister = new PagedLister(client, retry, options.pageSize());
        List<GenericKubernetesResource> claims = new ArrayList<>();
        List<String> namespaces = scope.namespaces();
        for (String ns : namespaces == null ? java.util.Collections.<String>singletonList(null) : namespaces) {
            list(lister, PVCS, ns, page -> page.stream().filter(scope::includes).forEach(claims::add));
        }
        List<ObjectNode> skipped = new ArrayList<>();
        List<String[]> warnings = new ArrayList<>();
        List<Volume> volumes = new ArrayList<>();
        if (claims.isEmpty()) {
            return new CsiSnapshotBackup(client, options, backupName, volumes, skipped, warnings);
        }
        Map<String, GenericKubernetesResource> pvs = new HashMap<>();
        Set<String> wantedPvs = new java.util.HashSet<>();
        claims.forEach(c -> {
            String v = SnapshotApi.text(c.get("spec", "volumeName"));
            if (v != null) {
                wantedPvs.add(v);
            }
        });
        list(lister, PVS, null, page -> page.stream().filter(p -> wantedPvs.contains(p.getMetadata().getName()))
                .forEach(p -> pvs.put(p.getMetadata().getName(), p)));
        Map<String, String> maintenance = maintenanceUsers(client, options, retry, lister, claims);
        List<GenericKubernetesResource> classes = retry.call("list volumesnapshotclasses",
                () -> SnapshotApi.classes(client).list().getItems());
        SnapshotClassSelector selector = new SnapshotClassSelector(classes);
        List<String> refusals = new ArrayList<>();
        for (GenericKubernetesResource claim : claims) {
            ObjectMeta m = claim.getMetadata();
            String ns = m.getNamespace();
            String where = ns + "/" + m.getName();
            String pvName = SnapshotApi.text(claim.get("spec", "volumeName"));
            GenericKubernetesResource pv = pvName == null ? null : pvs.get(pvName);
            String reason = null;
            String driver = null;
            SnapshotClassSelector.Choice choice = null;
            if (pvName == null || !"Bound".equals(claim.get("status", "phase"))) {
                reason = "the claim is not bound to a volume (phase " + claim.get("status", "phase") + ")";
            } else if (pv == null) {
                reason = "its PersistentVolume " + pvName + " does not exist";
            } else if ((driver = SnapshotApi.text(pv.get("spec", "csi", "driver"))) == null) {
                reason = "its PersistentVolume " + pvName + " is not a CSI volume (no spec.csi.driver), so it cannot be snapshotted";
            } else if (maintenance.containsKey(where)) {
                reason = maintenance.get(where);
            } else {
                try {
                    choice = selector.choose(m.getAnnotations(), driver);
                } catch (SnapshotClassSelector.NoClass e) {
                    if (options.snapshotMissingClassPolicy() == DirectOptions.MissingSnapshotClassPolicy.FAIL) {
                        refusals.add("volume " + where + " (driver " + driver + "): " + e.getMessage());
                        continue;
                    }
                    reason = "no VolumeSnapshotClass: " + e.getMessage();
                }
            }
            if (reason != null) {
                String msg = "Volume " + where + " (PV " + (pvName == null ? "none" : pvName) + ") is skipped, its data is NOT backed up: "
                        + reason + ".";
                warnings.add(new String[] {ns, msg});
                skipped.add(skippedRecord(claim, pvName, pv, reason));
                continue;
            }
            if (!"Retain".equals(choice.deletionPolicy())) {
                String msg = "VolumeSnapshotClass " + choice.name() + " (for volume " + where + ") has deletionPolicy '"
                        + choice.deletionPolicy() + "', not Retain: deleting its VolumeSnapshot objects (by anyone) deletes the"
                        + " snapshot data. Use a class with deletionPolicy Retain.";
                if (options.strictSnapshotDeletionPolicy()) {
                    refusals.add(msg);
                    continue;
                }
                warnings.add(new String[] {ns, "WARNING: " + msg});
            }
            volumes.add(new Volume(ns, m.getName(), pvName, driver, choice, pv));
        }
        if (!refusals.isEmpty()) {
            throw new InvalidPlanException("BackupPlan: include all disks cannot snapshot every volume; nothing was created. "
                    + String.join("; ", refusals) + ". Add the VolumeSnapshotClasses (deletionPolicy Retain), or set DirectOptions"
                    + " snapshotMissingClassPolicy(SKIP) / strictSnapshotDeletionPolicy(false) to go on with warnings.");
        }
        return new CsiSnapshotBackup(client, options, backupName, volumes, skipped, warnings);
    }

    /** Number of volumes that will be snapshotted. */
    public int volumesToSnapshot() {
        return volumes.size();
    }

    /**
     * Creates the snapshots and waits for them; reports warnings and errors as it goes.
     *
     * @throws CancellationException when {@code cancelled} turns true or the thread is interrupted
     */
    public void take(Report report, BooleanSupplier cancelled) {
        for (String[] w : preflightWarnings) {
            report.warning(w[0], w[1]);
        }
        skipped.forEach(volumeInfo::add);
        if (volumes.isEmpty()) {
            report.info("Include all disks: no volume to snapshot (" + skipped.size() + " skipped).");
            return;
        }
        report.info("Include all disks: taking " + volumes.size() + " CSI volume snapshots (" + skipped.size() + " volumes skipped).");
        Deque<Volume> queue = new ArrayDeque<>(volumes);
        Map<String, Pending> inFlight = new LinkedHashMap<>();
        long pause = FIRST_PAUSE_MS;
        while (!queue.isEmpty() || !inFlight.isEmpty()) {
            checkCancelled(cancelled);
            while (!queue.isEmpty() && inFlight.size() < options.snapshotConcurrency()) {
                Volume v = queue.poll();
                Pending p = create(v, report);
                if (p != null) {
                    inFlight.put(v.key(), p);
                }
            }
            boolean changed = false;
            long now = System.nanoTime();
            for (var it = inFlight.values().iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if (check(p, report, now)) {
                    it.remove();
                    changed = true;
                }
            }
            if (inFlight.isEmpty()) {
                continue;
            }
            pause = changed ? FIRST_PAUSE_MS : Math.min(MAX_PAUSE_MS, pause * 3 / 2);
            long untilDeadline = inFlight.values().stream().mapToLong(p -> p.deadline - System.nanoTime()).min().orElse(0) / 1_000_000;
            sleep(Math.max(1, Math.min(pause, untilDeadline + 1)), cancelled);
        }
        report.info("Include all disks: " + completed + " of " + attempted + " volume snapshots completed.");
    }

    private Pending create(Volume v, Report report) {
        String name = SnapshotApi.snapshotName(backupName, v.namespace(), v.claim());
        Instant started = options.clock().instant();
        attempted++;
        GenericKubernetesResource vs = new GenericKubernetesResource();
        vs.setApiVersion(SnapshotApi.API_VERSION);
        vs.setKind("VolumeSnapshot");
        ObjectMeta meta = new ObjectMeta();
        meta.setNamespace(v.namespace());
        meta.setName(name);
        meta.setLabels(Map.of(SnapshotApi.BACKUP_NAME_LABEL, SnapshotApi.labelValue(backupName)));
        vs.setMetadata(meta);
        vs.setAdditionalProperty("spec", Map.of("volumeSnapshotClassName", v.cls().name(),
                "source", Map.of("persistentVolumeClaimName", v.claim())));
        try {
            retry.call("create VolumeSnapshot " + v.namespace() + "/" + name,
                    () -> SnapshotApi.snapshots(client).inNamespace(v.namespace()).resource(vs).create());
        } catch (KubernetesClientException e) {
            fail(v, name, started, null, report, "could not create VolumeSnapshot " + name + ": " + KubeRetry.describe(e));
            return null;
        }
        report.info("Created VolumeSnapshot " + v.namespace() + "/" + name + " of claim " + v.claim() + " (class " + v.cls().name()
                + ", chosen by " + v.cls().rule() + ")");
        return new Pending(v, name, started, System.nanoTime() + options.snapshotReadyTimeout().toNanos());
    }

    /** True when the snapshot is done (ready, failed or timed out). */
    private boolean check(Pending p, Report report, long now) {
        Volume v = p.volume;
        GenericKubernetesResource vs;
        try {
            vs = retry.call("get VolumeSnapshot " + v.namespace() + "/" + p.name,
                    () -> SnapshotApi.snapshots(client).inNamespace(v.namespace()).withName(p.name).get());
        } catch (KubernetesClientException e) {
            if (now - p.deadline > 0) {
                fail(v, p.name, p.started, null, report, "could not read VolumeSnapshot " + p.name + ": " + KubeRetry.describe(e));
                return true;
            }
            return false;
        }
        if (vs == null) {
            fail(v, p.name, p.started, null, report, "VolumeSnapshot " + p.name + " disappeared before it was ready");
            return true;
        }
        Object errorMessage = vs.get("status", "error", "message");
        if (errorMessage != null || vs.get("status", "error") != null) {
            fail(v, p.name, p.started, null, report, "VolumeSnapshot " + p.name + " failed: "
                    + (errorMessage != null ? errorMessage : "status.error is set"));
            return true;
        }
        String content = SnapshotApi.text(vs.get("status", "boundVolumeSnapshotContentName"));
        if (Boolean.TRUE.equals(vs.get("status", "readyToUse")) && content != null) {
            GenericKubernetesResource vsc;
            try {
                vsc = retry.call("get VolumeSnapshotContent " + content, () -> SnapshotApi.contents(client).withName(content).get());
            } catch (KubernetesClientException e) {
                fail(v, p.name, p.started, content, report, "could not read VolumeSnapshotContent " + content + ": " + KubeRetry.describe(e));
                return true;
            }
            if (vsc == null) {
                fail(v, p.name, p.started, content, report, "its VolumeSnapshotContent " + content + " does not exist");
                return true;
            }
            String handle = SnapshotApi.text(vsc.get("status", "snapshotHandle"));
            if (handle == null) {
                handle = SnapshotApi.text(vsc.get("spec", "source", "snapshotHandle"));
            }
            if (handle == null) {
                fail(v, p.name, p.started, content, report, "its VolumeSnapshotContent " + content + " has no snapshotHandle");
                return true;
            }
            succeed(p, vs, vsc, handle, report);
            return true;
        }
        if (now - p.deadline > 0) {
            fail(v, p.name, p.started, content, report, "VolumeSnapshot " + p.name + " was not ready within "
                    + options.snapshotReadyTimeout() + " (DirectOptions.snapshotReadyTimeout)");
            return true;
        }
        return false;
    }

    private void succeed(Pending p, GenericKubernetesResource vs, GenericKubernetesResource vsc, String handle, Report report) {
        Volume v = p.volume;
        completed++;
        long size = size(vs.get("status", "restoreSize"), vsc.get("status", "restoreSize"));
        Map<String, String> annotations = new HashMap<>(vs.getMetadata().getAnnotations() == null ? Map.of() : vs.getMetadata().getAnnotations());
        annotations.put(SnapshotApi.HANDLE_ANNOTATION, handle);
        annotations.put(SnapshotApi.DRIVER_ANNOTATION, v.driver());
        if (size > 0) {
            annotations.put(SnapshotApi.RESTORE_SIZE_ANNOTATION, Long.toString(size));
        }
        vs.getMetadata().setAnnotations(annotations);
        vs.setApiVersion(SnapshotApi.API_VERSION);
        vs.setKind("VolumeSnapshot");
        vsc.setApiVersion(SnapshotApi.API_VERSION);
        vsc.setKind("VolumeSnapshotContent");
        items.add(vs);
        items.add(vsc);
        readyByClaim.put(v.key(), p.name);
        ObjectNode record = record(v, p.started, "succeeded");
        ObjectNode csi = csiInfo(record, v, p.name, vsc.getMetadata().getName());
        csi.put("snapshotHandle", handle);
        csi.put("size", size);
        csi.put("ReadyToUse", true);
        volumeInfo.add(record);
        report.info("VolumeSnapshot " + v.namespace() + "/" + p.name + " of claim " + v.claim() + " is ready (content "
                + vsc.getMetadata().getName() + ")");
    }

    private void fail(Volume v, String name, Instant started, String content, Report report, String why) {
        ObjectNode record = record(v, started, "failed");
        csiInfo(record, v, name, content == null ? "" : content);
        volumeInfo.add(record);
        report.error(v.namespace(), "Volume " + v.key() + " (PV " + v.pvName() + "): snapshot failed, its data is not in the backup: "
                + why + ".");
    }

    private ObjectNode record(Volume v, Instant started, String result) {
        ObjectNode r = GzipJson.MAPPER.createObjectNode();
        r.put("pvcName", v.claim());
        r.put("pvcNamespace", v.namespace());
        r.put("pvName", v.pvName());
        r.put("backupMethod", "CSISnapshot");
        r.put("snapshotDataMoved", false);
        r.put("startTimestamp", time(started));
        r.put("completionTimestamp", time(options.clock().instant()));
        r.put("result", result);
        pvInfo(r, v.pv());
        return r;
    }

    private static ObjectNode csiInfo(ObjectNode record, Volume v, String snapshotName, String content) {
        ObjectNode csi = record.putObject("csiSnapshotInfo");
        csi.put("snapshotHandle", "");
        csi.put("size", 0);
        csi.put("driver", v.driver());
        csi.put("vscName", content);
        csi.put("operationID", "");
        csi.put("volumeSnapshotClass", v.cls().name());
        csi.put("volumeSnapshotName", snapshotName);
        return csi;
    }

    private static ObjectNode skippedRecord(GenericKubernetesResource claim, String pvName, GenericKubernetesResource pv, String reason) {
        ObjectNode r = GzipJson.MAPPER.createObjectNode();
        r.put("pvcName", claim.getMetadata().getName());
        r.put("pvcNamespace", claim.getMetadata().getNamespace());
        if (pvName != null) {
            r.put("pvName", pvName);
        }
        r.put("snapshotDataMoved", false);
        r.put("skipped", true);
        r.put("skippedReason", reason);
        if (pv != null) {
            pvInfo(r, pv);
        }
        return r;
    }

    private static void pvInfo(ObjectNode record, GenericKubernetesResource pv) {
        ObjectNode info = record.putObject("pvInfo");
        Object policy = pv.get("spec", "persistentVolumeReclaimPolicy");
        info.put("reclaimPolicy", policy == null ? "" : policy.toString());
        ObjectNode labels = info.putObject("labels");
        Map<String, String> l = pv.getMetadata().getLabels();
        if (l != null) {
            new java.util.TreeMap<>(l).forEach(labels::put);
        }
    }

    /** The VolumeSnapshots and VolumeSnapshotContents of the completed snapshots, for the tarball. */
    public List<GenericKubernetesResource> items() {
        return List.copyOf(items);
    }

    /**
     * The name of the ready VolumeSnapshot of claim {@code namespace/claim}, or null when it has none
     * (skipped, failed, not included). The backup marks the claim's archived copy with it, as Velero does.
     */
    public String snapshotNameOf(String namespace, String claim) {
        return readyByClaim.get(namespace + "/" + claim);
    }

    /** One record per included claim (snapshotted, failed or skipped), as Velero's {@code volumeinfo} file holds them. */
    public ArrayNode volumeInfo() {
        return volumeInfo.deepCopy();
    }

    public int attempted() {
        return attempted;
    }

    public int completed() {
        return completed;
    }

    // ---------------------------------------------------------------- helpers

    /** Claim ({@code ns/name}) -> why it is skipped, for claims used by a pod on a node in maintenance mode. */
    private static Map<String, String> maintenanceUsers(KubernetesClient client, DirectOptions options, KubeRetry retry,
            PagedLister lister, List<GenericKubernetesResource> claims) {
        Set<String> namespaces = new java.util.TreeSet<>();
        Set<String> claimKeys = new java.util.HashSet<>();
        for (GenericKubernetesResource c : claims) {
            namespaces.add(c.getMetadata().getNamespace());
            claimKeys.add(c.getMetadata().getNamespace() + "/" + c.getMetadata().getName());
        }
        Map<String, String> nodeState = new HashMap<>();
        Map<String, String> out = new HashMap<>();
        for (String ns : namespaces) {
            list(lister, PODS, ns, page -> {
                for (GenericKubernetesResource pod : page) {
                    String node = SnapshotApi.text(pod.get("spec", "nodeName"));
                    if (node == null || !(pod.get("spec", "volumes") instanceof List<?> vols)) {
                        continue;
                    }
                    for (Object vol : vols) {
                        if (!(vol instanceof Map<?, ?> m) || !(m.get("persistentVolumeClaim") instanceof Map<?, ?> pvc)) {
                            continue;
                        }
                        String key = ns + "/" + pvc.get("claimName");
                        if (!claimKeys.contains(key) || out.containsKey(key)) {
                            continue;
                        }
                        String state = nodeState.computeIfAbsent(node, n -> maintenance(client, options, retry, n));
                        if (!state.isEmpty()) {
                            out.put(key, "it is used by pod " + pod.getMetadata().getName() + " on node " + node
                                    + ", which is in maintenance mode (" + state + ")");
                        }
                    }
                }
            });
        }
        return out;
    }

    /** Why a node is in maintenance mode, or "" when it is not (or does not exist). */
    private static String maintenance(KubernetesClient client, DirectOptions options, KubeRetry retry, String nodeName) {
        var node = retry.call("get node " + nodeName, () -> client.nodes().withName(nodeName).get());
        if (node == null) {
            return "";
        }
        if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            return "cordoned: spec.unschedulable is true";
        }
        Map<String, String> labels = node.getMetadata().getLabels();
        if (labels != null && labels.containsKey(options.maintenanceLabel())) {
            return "label " + options.maintenanceLabel();
        }
        return "";
    }

    private interface Page {
        void accept(List<GenericKubernetesResource> items);
    }

    private static void list(PagedLister lister, ApiResource r, String ns, Page page) {
        try {
            lister.list(r, ns, null, page::accept);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not list " + r.groupResource() + ": " + e, e);
        }
    }

    private static long size(Object... quantities) {
        for (Object q : quantities) {
            if (q == null) {
                continue;
            }
            try {
                return io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(new io.fabric8.kubernetes.api.model.Quantity(q.toString()))
                        .longValue();
            } catch (RuntimeException ignored) {
                // not a quantity: try the next one
            }
        }
        return 0;
    }

    private static String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    private static void checkCancelled(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw new CancellationException("cancelled");
        }
    }

    private static void sleep(long millis, BooleanSupplier cancelled) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("cancelled");
        }
        checkCancelled(cancelled);
    }
}

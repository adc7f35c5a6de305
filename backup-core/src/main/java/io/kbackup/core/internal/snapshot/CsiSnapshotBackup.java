package io.kbackup.core.internal.snapshot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.core.internal.EngineContext;
import io.kbackup.core.internal.kube.KubeRetry;
import io.kbackup.core.internal.layout.GzipJson;
import io.kbackup.core.internal.layout.VeleroKeys;
import io.kbackup.core.internal.layout.VolumeInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * CSI volume snapshots of a DirectEngine backup that includes all disks ({@code BackupPlan.includeAllDisks()}).
 *
 * <p>Made by {@link SnapshotPreflight#check}, which decides what to snapshot and creates nothing.
 *
 * <p>{@link #take} then creates one VolumeSnapshot per volume ({@code velero-<pvc>-<hash>}, labelled
 * {@code velero.io/backup-name}) with at most {@code DirectOptions.snapshotConcurrency} in flight,
 * and polls them with backoff (100 ms growing to 2 s) until {@code status.readyToUse} and
 * {@code status.boundVolumeSnapshotContentName}, {@code status.error}, or
 * {@code DirectOptions.snapshotReadyTimeout}. Failures are errors naming the volume (the backup
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

    private static final long FIRST_PAUSE_MS = 100;
    private static final long MAX_PAUSE_MS = 2_000;

    /** A volume to snapshot. */
    record Volume(String namespace, String claim, String pvName, String driver, SnapshotClassSelector.Choice cls,
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
    private final Clock clock;
    private final EngineContext.Snapshots settings;
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

    CsiSnapshotBackup(EngineContext context, String backupName, List<Volume> volumes, List<ObjectNode> skipped,
            List<String[]> preflightWarnings) {
        this.client = context.client();
        this.clock = context.clock();
        this.settings = context.snapshots();
        this.retry = context.retry();
        this.backupName = backupName;
        this.volumes = volumes;
        this.skipped = skipped;
        this.preflightWarnings = preflightWarnings;
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
            while (!queue.isEmpty() && inFlight.size() < settings.concurrency()) {
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
        Instant started = clock.instant();
        attempted++;
        GenericKubernetesResource vs = new GenericKubernetesResource();
        vs.setApiVersion(SnapshotApi.API_VERSION);
        vs.setKind("VolumeSnapshot");
        ObjectMeta meta = new ObjectMeta();
        meta.setNamespace(v.namespace());
        meta.setName(name);
        meta.setLabels(Map.of(VeleroKeys.BACKUP_NAME, SnapshotApi.labelValue(backupName)));
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
        return new Pending(v, name, started, System.nanoTime() + settings.readyTimeout().toNanos());
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
                    + settings.readyTimeout() + " (DirectOptions.snapshotReadyTimeout)");
            return true;
        }
        return false;
    }

    private void succeed(Pending p, GenericKubernetesResource vs, GenericKubernetesResource vsc, String handle, Report report) {
        Volume v = p.volume;
        completed++;
        long size = size(vs.get("status", "restoreSize"), vsc.get("status", "restoreSize"));
        Map<String, String> annotations = new HashMap<>(vs.getMetadata().getAnnotations() == null ? Map.of() : vs.getMetadata().getAnnotations());
        annotations.put(VeleroKeys.CSI_SNAPSHOT_HANDLE, handle);
        annotations.put(VeleroKeys.CSI_DRIVER_NAME, v.driver());
        if (size > 0) {
            annotations.put(VeleroKeys.CSI_RESTORE_SIZE, Long.toString(size));
        }
        vs.getMetadata().setAnnotations(annotations);
        vs.setApiVersion(SnapshotApi.API_VERSION);
        vs.setKind("VolumeSnapshot");
        vsc.setApiVersion(SnapshotApi.API_VERSION);
        vsc.setKind("VolumeSnapshotContent");
        items.add(vs);
        items.add(vsc);
        readyByClaim.put(v.key(), p.name);
        volumeInfo.add(VolumeInfo.snapshot(claimInfo(v.namespace(), v.claim(), v.pvName(), v.pv()), p.started, clock.instant(),
                new VolumeInfo.CsiSnapshot(v.driver(), v.cls().name(), p.name, vsc.getMetadata().getName(), handle, size)));
        report.info("VolumeSnapshot " + v.namespace() + "/" + p.name + " of claim " + v.claim() + " is ready (content "
                + vsc.getMetadata().getName() + ")");
    }

    private void fail(Volume v, String name, Instant started, String content, Report report, String why) {
        volumeInfo.add(VolumeInfo.snapshot(claimInfo(v.namespace(), v.claim(), v.pvName(), v.pv()), started, clock.instant(),
                new VolumeInfo.CsiSnapshot(v.driver(), v.cls().name(), name, content == null ? "" : content, null, 0)));
        report.error(v.namespace(), "Volume " + v.key() + " (PV " + v.pvName() + "): snapshot failed, its data is not in the backup: "
                + why + ".");
    }

    /** The volumeinfo view of a claim and its volume (null when the volume is unknown). */
    static VolumeInfo.Claim claimInfo(String namespace, String claim, String pvName, GenericKubernetesResource pv) {
        if (pv == null) {
            return new VolumeInfo.Claim(namespace, claim, pvName, null, Map.of());
        }
        Object policy = pv.get("spec", "persistentVolumeReclaimPolicy");
        Map<String, String> labels = pv.getMetadata().getLabels();
        return new VolumeInfo.Claim(namespace, claim, pvName, policy == null ? "" : policy.toString(), labels == null ? Map.of() : labels);
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

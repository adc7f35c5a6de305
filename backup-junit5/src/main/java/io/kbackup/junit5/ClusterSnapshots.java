package io.kbackup.junit5;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.ClusterWideMode;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.RestorePreview;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.testkit.storage.InMemoryStorageProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes snapshots of one selection of one cluster into its own in-memory location, and puts the
 * cluster back to them with a reset, then checks (with a preview of the same reset) that nothing
 * differs. Thread-safe for one snapshot or reset at a time per instance, which is how the
 * extension uses it. Closing it drops the snapshots.
 */
final class ClusterSnapshots implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSnapshots.class);
    /** What a snapshot leaves out: a reset never touches them, so they need not be backed up. */
    static final List<String> NOT_SNAPSHOTTED = List.of("events", "events.events.k8s.io", "leases.coordination.k8s.io");
    private static final Duration WAIT = Duration.ofMinutes(5);

    /**
     * One snapshot.
     *
     * @param backupName the backup in the location; null when there was nothing to back up
     * @param present    the selected namespaces that existed
     * @param absent     the selected namespaces that did not (deleted again by the reset)
     */
    record Snapshot(String backupName, Set<String> present, Set<String> absent) {}

    /**
     * What to snapshot.
     *
     * @param namespaces        the namespaces, empty for all (then labels are required)
     * @param labels            matchLabels
     * @param mode              cluster-scoped objects
     * @param excludedResources types left out
     * @param settle            how long a reset waits for the cluster to settle
     */
    record Selection(List<String> namespaces, Map<String, String> labels, ClusterWideMode mode, List<String> excludedResources,
            Duration settle) {

        static Selection of(ClusterSnapshot a) {
            Map<String, String> labels = pairs(a.labels(), "@ClusterSnapshot labels", "key=value");
            if (a.namespaces().length == 0 && labels.isEmpty()) {
                throw new ExtensionConfigurationException("@ClusterSnapshot needs namespaces, labels or both: it does not snapshot"
                        + " and reset a whole cluster.");
            }
            return new Selection(List.of(a.namespaces()), labels, a.clusterWideMode(), List.of(a.excludedResources()),
                    Duration.ofSeconds(a.settleSeconds()));
        }
    }

    /**
     * The {@code key=value} entries of an annotation's attribute as an ordered map (both sides
     * trimmed); an entry without a key or {@code =} is a configuration error naming the attribute
     * and the {@code form} expected.
     */
    static Map<String, String> pairs(String[] entries, String attribute, String form) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new ExtensionConfigurationException(attribute + ": '" + entry + "' is not " + form + ".");
            }
            out.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        return out;
    }

    private final KubernetesClient client;
    private final DirectEngine kbackup;
    private final Selection selection;
    private final BackupLocation location;
    private final AtomicInteger taken = new AtomicInteger();

    ClusterSnapshots(KubernetesClient client, Selection selection) {
        this.client = client;
        this.selection = selection;
        this.kbackup = KBackup.direct(client);
        this.location = BackupLocation.builder().name("cluster-snapshots").provider(InMemoryStorageProvider.ID)
                .bucket("kbackup-snapshots-" + UUID.randomUUID()).build();
    }

    KubernetesClient client() {
        return client;
    }

    /** The engine, for the golden-backup loader. */
    DirectEngine kbackup() {
        return kbackup;
    }

    /** Captures the selection now. */
    Snapshot take() {
        Set<String> present = new LinkedHashSet<>();
        Set<String> absent = new LinkedHashSet<>();
        for (String ns : selection.namespaces()) {
            Namespace live = client.namespaces().withName(ns).get();
            (live != null && live.getMetadata().getDeletionTimestamp() == null ? present : absent).add(ns);
        }
        if (!selection.namespaces().isEmpty() && present.isEmpty()) {
            return new Snapshot(null, present, absent);
        }
        long start = System.nanoTime();
        String name = "snapshot-" + taken.incrementAndGet();
        BackupInfo info = kbackup.backup(BackupPlan.builder().name(name).location(location).includedNamespaces(present)
                .labelSelector(selection.labels()).clusterWideMode(selection.mode())
                .excludedResources(exclusions()).build()).await(WAIT);
        if (info.phase() != BackupPhase.COMPLETED) {
            throw new IllegalStateException("@ClusterSnapshot could not snapshot " + describe() + ": the backup ended "
                    + info.phase() + " " + info.errors() + (info.failureReason() == null ? "" : " (" + info.failureReason() + ")"));
        }
        LOG.info("Snapshot {} of {}: {} items in {} ms", name, describe(), info.itemsBackedUp(), (System.nanoTime() - start) / 1_000_000);
        return new Snapshot(name, present, absent);
    }

    private String[] exclusions() {
        List<String> out = new ArrayList<>(NOT_SNAPSHOTTED);
        out.addAll(selection.excludedResources());
        return out.toArray(String[]::new);
    }

    /**
     * Puts the cluster back to the snapshot and checks it.
     *
     * @return what could not be put back (empty when the cluster matches the snapshot)
     */
    List<String> reset(Snapshot snapshot) {
        long start = System.nanoTime();
        long deadline = start + selection.settle().toNanos();
        List<String> errors = new ArrayList<>();
        awaitGone(snapshot.present(), deadline); // a namespace the test deleted comes back once it is gone
        RestorePlan plan = snapshot.backupName() == null ? null : plan(snapshot);
        if (plan != null) {
            errors.addAll(restore(plan));
        }
        for (String ns : snapshot.absent()) {
            client.namespaces().withName(ns).delete();
        }
        long reset = System.nanoTime();
        List<String> left = leftovers(plan, snapshot);
        LOG.info("Reset {} in {} ms, checked in {} ms", describe(), (reset - start) / 1_000_000, (System.nanoTime() - reset) / 1_000_000);
        boolean again = plan != null;
        long pause = 50;
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            sleep(pause);
            pause = Math.min(pause * 2, 1000);
            if (again && left.stream().anyMatch(l -> !l.startsWith("terminating"))) {
                again = false; // a controller may have raced the first reset: once more
                errors.addAll(restore(plan));
            }
            left = leftovers(plan, snapshot);
        }
        List<String> out = new ArrayList<>(left);
        out.addAll(errors);
        return out;
    }

    private RestorePlan plan(Snapshot snapshot) {
        return RestorePlan.builder().location(location).backupName(snapshot.backupName()).includedNamespaces(snapshot.present())
                .labelSelector(selection.labels()).clusterWideMode(selection.mode()).excludedResources(exclusions())
                .reset().build();
    }

    /** Runs the reset; the errors it reported. */
    private List<String> restore(RestorePlan plan) {
        RestoreInfo info = kbackup.restore(plan).await(WAIT);
        if (info.phase() == RestorePhase.COMPLETED) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        info.errors().forEach(e -> out.add("reset error: " + e));
        if (info.failureReason() != null) {
            out.add("reset " + info.phase() + ": " + info.failureReason());
        }
        return out;
    }

    /** What still differs from the snapshot: the preview of the same reset, and namespaces the test created. */
    private List<String> leftovers(RestorePlan plan, Snapshot snapshot) {
        List<String> out = new ArrayList<>();
        if (plan != null) {
            for (RestorePreview.Item i : kbackup.preview(plan).items()) {
                String where = i.groupResource() + " " + (i.namespace() == null ? i.name() : i.namespace() + "/" + i.name());
                switch (i.action()) {
                    case CREATE -> out.add("missing " + where + " (deleted by the test; not recreated): " + i.reason());
                    case UPDATE -> out.add("changed " + where + ": " + i.reason());
                    case DELETE -> out.add("added " + where + " (created by the test; not deleted)");
                    case EXCLUDED -> {
                        if (i.reason().endsWith("already being deleted")) {
                            out.add("terminating " + where + " (created by the test; deleted, still terminating)");
                        }
                    }
                    default -> {
                        // equal
                    }
                }
            }
        }
        for (String ns : snapshot.absent()) {
            if (client.namespaces().withName(ns).get() != null) {
                out.add("terminating namespaces " + ns + " (created by the test; deleted, still there)");
            }
        }
        return out;
    }

    private void awaitGone(Set<String> namespaces, long deadline) {
        for (String ns : namespaces) {
            long pause = 50;
            while (System.nanoTime() < deadline) {
                Namespace live = client.namespaces().withName(ns).get();
                if (live == null || live.getMetadata().getDeletionTimestamp() == null) {
                    break;
                }
                sleep(pause);
                pause = Math.min(pause * 2, 1000);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the cluster to settle", e);
        }
    }

    /** The selection, for messages. */
    String describe() {
        return (selection.namespaces().isEmpty() ? "all namespaces" : "namespaces " + selection.namespaces())
                + (selection.labels().isEmpty() ? "" : " with labels " + selection.labels());
    }

    @Override
    public void close() {
        try {
            kbackup.close();
        } finally {
            InMemoryStorageProvider.deleteBucket(location.bucket());
        }
    }
}

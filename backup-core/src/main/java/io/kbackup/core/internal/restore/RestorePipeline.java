package io.kbackup.core.internal.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.RestorePlan;
import io.kbackup.core.internal.EngineContext;
import io.kbackup.core.internal.snapshot.SnapshotRestore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * What a restore and a preview share, built once per run by {@link #build}: the checked archive
 * ({@link ArchiveIndex}), every item's decision ({@link RestoreSelection}, with include all disks'
 * {@link SnapshotRestore}: the backup's VolumeSnapshots/VolumeSnapshotContents are never restored as
 * they are, nor the PersistentVolumes of claims provisioned from their snapshot), and the
 * transforms that turn a backed-up item into the object to apply ({@link ItemTransforms}). Closing
 * it deletes the spool.
 */
final class RestorePipeline implements AutoCloseable {
    private static final AtomicInteger THREADS = new AtomicInteger();

    final ArchiveIndex index;
    final SnapshotRestore snapshots;
    final ItemTransforms transforms;
    private final List<IndexedItem> synthetic;
    private final RestorePlan plan;

    private RestorePipeline(RestorePlan plan, ArchiveIndex index, SnapshotRestore snapshots, ItemTransforms transforms,
            List<IndexedItem> synthetic) {
        this.plan = plan;
        this.index = index;
        this.snapshots = snapshots;
        this.transforms = transforms;
        this.synthetic = synthetic;
    }

    /**
     * Reads and checks the archive, then decides every item.
     *
     * @param restoreName the restore's name (labels of restored objects)
     * @param bytes       told of every compressed byte read
     * @param checked     told of the checked archive, before any decision
     */
    static RestorePipeline build(EngineContext context, RestoreSource source, RestorePlan plan, String restoreName, LongConsumer bytes,
            Consumer<ArchiveIndex> checked) {
        RestoreSelection selection = new RestoreSelection(plan);
        ArchiveIndex index = source.readArchive(context.restore().limits(), context.restore().requireManifest(), selection, bytes);
        try {
            checked.accept(index);
            ScopeCheck.check(context.client(), context.retry(), plan.backupName(), index.items());
            SnapshotRestore snapshots = SnapshotRestore.load(context.client(), context.retry(), source.storage(), source.layout(),
                    plan.backupName(), restoreName, plan.restorePersistentVolumes(), source.sealed()::plain);
            List<IndexedItem> synthetic = selection.decide(index.items(), item -> {
                String why = snapshotExclusion(snapshots, item);
                return why == null && plan.prunes() && item.neverTouched != null ? "a reset never touches it: " + item.neverTouched : why;
            });
            ItemTransforms transforms = new ItemTransforms(plan.backupName(), restoreName, plan.namespaceMapping(),
                    plan.preserveNodePorts(), pv -> selection.pvRestored(pv) && !snapshots.pvFromSnapshot(pv),
                    RestoreActionConfig.load(context.client(), context.retry(), plan), !plan.prunes());
            return new RestorePipeline(plan, index, snapshots, transforms, synthetic);
        } catch (RuntimeException e) {
            index.close();
            throw e;
        }
    }

    /** Why include all disks takes a selected item out, or null. */
    private static String snapshotExclusion(SnapshotRestore snapshots, IndexedItem item) {
        if (SnapshotRestore.handlesResource(item.groupResource)) {
            return SnapshotRestore.notRestoredReason();
        }
        if (item.groupResource.equals(RestoreSelection.PVS) && snapshots.pvFromSnapshot(item.name)) {
            return "its claim is provisioned anew from the volume's CSI snapshot";
        }
        return null;
    }

    /** The items applied or skipped by a rule, in archive order, then the bare namespaces the restore adds. */
    List<IndexedItem> selected() {
        List<IndexedItem> out = new ArrayList<>();
        for (IndexedItem i : index.items()) {
            if (i.selected()) {
                out.add(i);
            }
        }
        out.addAll(synthetic);
        return out;
    }

    /** The items this restore leaves out, in archive order. */
    List<IndexedItem> excluded() {
        List<IndexedItem> out = new ArrayList<>();
        for (IndexedItem i : index.items()) {
            if (!i.selected()) {
                out.add(i);
            }
        }
        return out;
    }

    /** The item's namespace in the target cluster (mapped), or null when cluster-scoped. */
    String targetNamespace(IndexedItem item) {
        return item.namespace == null ? null : transforms.target(item.namespace);
    }

    /** The item's name in the target cluster (a Namespace's name is mapped too). */
    String targetName(IndexedItem item) {
        return item.groupResource.equals(RestoreSelection.NAMESPACES) ? transforms.target(item.name) : item.name;
    }

    /** {@code <group-resource> <ns>/<name>} in the target cluster, for messages. */
    String where(IndexedItem item) {
        String ns = targetNamespace(item);
        return item.groupResource + " " + (ns == null ? targetName(item) : ns + "/" + targetName(item));
    }

    /** The object to apply for the item: its backed-up JSON (or a bare Namespace) transformed. */
    ObjectNode desired(IndexedItem item) {
        return prepare(item).object();
    }

    /**
     * What to apply for an item.
     *
     * @param object the object to create (or compare with the live one)
     * @param status the backed-up status to write through the status subresource once the object is created, or null
     */
    record Prepared(ObjectNode object, JsonNode status) {}

    /** The object to apply for the item, and the status to restore after its create (Velero's restoreStatus). */
    Prepared prepare(IndexedItem item) {
        if (item.synthetic) {
            return new Prepared(transforms.apply(item, bareNamespace(item.name)), null);
        }
        ObjectNode backedUp = index.read(item);
        JsonNode status = statusToRestore(item, backedUp);
        return new Prepared(transforms.apply(item, backedUp), status);
    }

    /** Annotation by which one object asks for its status to be restored ({@code "true"}) or not ({@code "false"}). */
    static final String RESTORE_STATUS_ANNOTATION = "velero.io/restore-status";

    /**
     * The backed-up status when it is to be restored: the object's {@value #RESTORE_STATUS_ANNOTATION}
     * annotation decides when it says {@code true} or {@code false}; otherwise the plan's
     * {@code restoreStatus} resources do (as Velero's restore). An empty or missing status is none.
     */
    private JsonNode statusToRestore(IndexedItem item, ObjectNode backedUp) {
        JsonNode status = backedUp.get("status");
        if (!(status instanceof ObjectNode) || status.isEmpty()) {
            return null;
        }
        String asked = backedUp.path("metadata").path("annotations").path(RESTORE_STATUS_ANNOTATION).asText("");
        boolean restore;
        if (asked.equals("true") || asked.equals("false")) {
            restore = asked.equals("true");
        } else {
            restore = plan.restoreStatus()
                    && plan.restoreStatusExcludedResources().stream().noneMatch(p -> PlanFilters.resourceMatches(p, item))
                    && (plan.restoreStatusIncludedResources().isEmpty()
                            || plan.restoreStatusIncludedResources().stream().anyMatch(p -> PlanFilters.resourceMatches(p, item)));
        }
        return restore ? status.deepCopy() : null;
    }

    /**
     * The backed-up object as a reset compares a live one with it: reset as a live object is
     * ({@link ExistingObject#reset}) and in its target namespace; for a bare namespace, the bare one.
     */
    ObjectNode snapshot(IndexedItem item) {
        if (item.synthetic) {
            return bareNamespace(item.name);
        }
        ObjectNode obj = ExistingObject.reset(index.read(item));
        if (item.namespace != null) {
            RestoreJson.object(obj, "metadata").put("namespace", targetNamespace(item));
        } else if (item.groupResource.equals(RestoreSelection.NAMESPACES)) {
            RestoreJson.object(obj, "metadata").put("name", targetName(item));
        }
        return obj;
    }

    private static ObjectNode bareNamespace(String name) {
        ObjectNode ns = RestoreJson.MAPPER.createObjectNode();
        ns.put("apiVersion", "v1");
        ns.put("kind", "Namespace");
        ns.putObject("metadata").put("name", name);
        return ns;
    }

    /** Daemon threads named {@code prefix<n>}. */
    static ThreadFactory daemon(String prefix) {
        return r -> {
            Thread t = new Thread(r, prefix + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        index.close();
    }
}

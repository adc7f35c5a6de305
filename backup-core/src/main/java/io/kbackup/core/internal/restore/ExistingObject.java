package io.kbackup.core.internal.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.core.internal.layout.VeleroKeys;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * How a restore compares an object that already exists with the backup's, as Velero's
 * {@code restoreItem} does ({@code pkg/restore/restore.go}): the live object is reset the way
 * every backed-up item is ({@link ItemTransforms#RESET_METADATA}, and the whole {@code status}),
 * given the restore's {@code velero.io/backup-name}/{@code restore-name} labels from the item
 * (Velero's {@code addRestoreLabels}), and then compared with the restore-ready item for
 * <em>equality</em> ({@code equality.Semantic.DeepEqual}): a key, label or annotation that only the
 * cluster has is a difference as much as one only the backup has; lists are compared element by
 * element; numbers by value; an empty map or list is the same as none (the API server omits them). Fields the restore clears for the target to fill in (a Service's
 * cluster IPs and allocated node ports, a pod's node) therefore differ from a live object holding
 * them, as they do in Velero.
 *
 * <p>The update is Velero's {@code generatePatch}: a JSON merge patch (RFC 7386) from the reset live
 * object without the restore labels to the item, so it sets what differs, replaces lists whole and
 * removes ({@code null}) every key only the cluster has, labels and annotations included.
 */
final class ExistingObject {
    private ExistingObject() {}

    /** The live object reset as a backed-up item is (metadata fields and status). */
    static ObjectNode reset(ObjectNode live) {
        ObjectNode copy = live.deepCopy();
        ObjectNode metadata = RestoreJson.objectOrNull(copy, "metadata");
        if (metadata != null) {
            for (String f : ItemTransforms.RESET_METADATA) {
                metadata.remove(f);
            }
        }
        copy.remove("status");
        return copy;
    }

    /** The reset live object with the item's restore labels, as Velero compares it. */
    static ObjectNode comparable(ObjectNode resetLive, ObjectNode desired) {
        ObjectNode copy = resetLive.deepCopy();
        ObjectNode wantLabels = RestoreJson.objectOrNull(RestoreJson.objectOrNull(desired, "metadata"), "labels");
        if (wantLabels != null) {
            ObjectNode labels = RestoreJson.object(RestoreJson.object(copy, "metadata"), "labels");
            for (String key : new String[] {VeleroKeys.BACKUP_NAME, VeleroKeys.RESTORE_NAME}) {
                if (wantLabels.has(key)) {
                    labels.set(key, wantLabels.get(key));
                }
            }
        }
        return copy;
    }

    /**
     * The first path (e.g. {@code spec.ports[0].nodePort}, {@code metadata.labels.team}) at which the
     * two differ, or null when they are equal.
     */
    static String firstDifference(JsonNode live, JsonNode want) {
        return difference(live, want, "");
    }

    /**
     * Missing, null, and an empty object or list are the same: the API server omits empty maps and
     * lists ({@code omitempty}), so an item emptied by the restore's changes equals a live object without them.
     */
    private static boolean absent(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() || (n.isContainerNode() && n.isEmpty());
    }

    private static String difference(JsonNode a, JsonNode b, String path) {
        boolean aAbsent = absent(a);
        boolean bAbsent = absent(b);
        if (aAbsent || bAbsent) {
            return aAbsent == bAbsent ? null : where(path);
        }
        if (a.isObject() && b.isObject()) {
            Set<String> keys = new LinkedHashSet<>();
            b.fieldNames().forEachRemaining(keys::add);
            a.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                String d = difference(a.get(key), b.get(key), path.isEmpty() ? key : path + "." + key);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return where(path) + " (" + a.size() + " elements in the cluster, " + b.size() + " in the backup)";
            }
            for (int i = 0; i < a.size(); i++) {
                String d = difference(a.get(i), b.get(i), path + "[" + i + "]");
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0 ? null : where(path);
        }
        return a.equals(b) ? null : where(path);
    }

    private static String where(String path) {
        return path.isEmpty() ? "(the whole object)" : path;
    }

    /**
     * The JSON merge patch that turns {@code from} into {@code to}: changed values set, keys only in
     * {@code from} set to null, lists replaced whole. Empty when they are equal.
     */
    static ObjectNode mergePatch(ObjectNode from, ObjectNode to) {
        ObjectNode patch = RestoreJson.MAPPER.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = to.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode was = from.get(e.getKey());
            JsonNode want = e.getValue();
            if (want.isNull()) {
                if (was != null && !was.isNull()) {
                    patch.putNull(e.getKey());
                }
            } else if (want instanceof ObjectNode wantObject && was instanceof ObjectNode wasObject) {
                ObjectNode inner = mergePatch(wasObject, wantObject);
                if (!inner.isEmpty()) {
                    patch.set(e.getKey(), inner);
                }
            } else if (difference(was, want, "x") != null) {
                patch.set(e.getKey(), want instanceof ObjectNode o ? withoutNulls(o) : want.deepCopy());
            }
        }
        for (Iterator<String> it = from.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!to.has(key)) {
                patch.putNull(key);
            }
        }
        return patch;
    }

    /** An object set whole by a merge patch: its null members would read as deletions, so they go. */
    private static ObjectNode withoutNulls(ObjectNode o) {
        ObjectNode copy = RestoreJson.MAPPER.createObjectNode();
        o.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) {
                copy.set(e.getKey(), e.getValue() instanceof ObjectNode inner ? withoutNulls(inner) : e.getValue().deepCopy());
            }
        });
        return copy;
    }

    /**
     * Velero's {@code mergeServiceAccounts}: an existing ServiceAccount keeps what it has and gains
     * the backup's {@code secrets} and {@code imagePullSecrets} it lacks (by name), and the labels
     * and annotations whose keys it lacks. Returns the merged object (the reset live one plus those).
     */
    static ObjectNode mergeServiceAccount(ObjectNode resetLive, ObjectNode backup) {
        ObjectNode merged = resetLive.deepCopy();
        for (String list : new String[] {"secrets", "imagePullSecrets"}) {
            JsonNode add = backup.get(list);
            if (!(add instanceof ArrayNode adding) || adding.isEmpty()) {
                continue;
            }
            ArrayNode have = merged.get(list) instanceof ArrayNode a ? a : merged.putArray(list);
            Set<String> names = new LinkedHashSet<>();
            have.forEach(r -> names.add(r.path("name").asText("")));
            for (JsonNode ref : adding) {
                if (names.add(ref.path("name").asText(""))) {
                    have.add(ref.deepCopy());
                }
            }
        }
        ObjectNode backupMeta = RestoreJson.objectOrNull(backup, "metadata");
        ObjectNode meta = RestoreJson.object(merged, "metadata");
        for (String map : new String[] {"labels", "annotations"}) {
            ObjectNode add = RestoreJson.objectOrNull(backupMeta, map);
            if (add == null || add.isEmpty()) {
                continue;
            }
            ObjectNode have = RestoreJson.object(meta, map);
            add.fields().forEachRemaining(e -> {
                if (!have.has(e.getKey())) {
                    have.set(e.getKey(), e.getValue().deepCopy());
                }
            });
        }
        return merged;
    }

    /**
     * A copy of {@code obj} without the fields the restore lets the target cluster fill in: those
     * the backed-up object ({@code snapshot}) has and the object the restore applies
     * ({@code desired}, transformed) lacks, at any depth (a Service's cluster IPs and allocated node
     * ports, a pod's node, a claim's volume), and the annotations controllers keep on the objects
     * they act for ({@link #CONTROLLER_ANNOTATIONS}: a Deployment's revision, a claim's binding). A
     * reset compares and patches only the rest, so that an object it recreated equals the snapshot
     * and a reverted Deployment's controller does not undo the reset.
     */
    static ObjectNode withoutFilledIn(ObjectNode obj, ObjectNode snapshot, ObjectNode desired) {
        ObjectNode copy = obj.deepCopy();
        strip(copy, snapshot, desired);
        ObjectNode annotations = RestoreJson.objectOrNull(RestoreJson.objectOrNull(copy, "metadata"), "annotations");
        if (annotations != null) {
            CONTROLLER_ANNOTATIONS.forEach(annotations::remove);
        }
        return copy;
    }

    /** Annotations the cluster's controllers set on objects they act for, which a reset neither compares nor reverts. */
    static final java.util.List<String> CONTROLLER_ANNOTATIONS = java.util.List.of("deployment.kubernetes.io/revision",
            ItemTransforms.BIND_COMPLETED, ItemTransforms.BOUND_BY_CONTROLLER, ItemTransforms.SELECTED_NODE,
            "volume.beta.kubernetes.io/storage-provisioner", "volume.kubernetes.io/storage-provisioner");

    private static void strip(JsonNode obj, JsonNode snapshot, JsonNode desired) {
        if (obj instanceof ObjectNode o && snapshot instanceof ObjectNode s) {
            for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                JsonNode want = desired == null ? null : desired.get(key);
                if (absent(want) && !absent(s.get(key))) {
                    o.remove(key);
                } else {
                    strip(o.get(key), s.get(key), want);
                }
            }
        } else if (obj instanceof ArrayNode a && snapshot instanceof ArrayNode s && desired instanceof ArrayNode d
                && a.size() == s.size() && s.size() == d.size()) {
            for (int i = 0; i < a.size(); i++) {
                strip(a.get(i), s.get(i), d.get(i));
            }
        }
    }

    /** A merge patch setting only the restore labels (Velero's {@code updateBackupRestoreLabels}), or empty when they are set. */
    static ObjectNode restoreLabelsPatch(ObjectNode resetLive, ObjectNode desired) {
        ObjectNode want = RestoreJson.objectOrNull(RestoreJson.objectOrNull(desired, "metadata"), "labels");
        ObjectNode have = RestoreJson.objectOrNull(RestoreJson.objectOrNull(resetLive, "metadata"), "labels");
        ObjectNode labels = RestoreJson.MAPPER.createObjectNode();
        for (String key : new String[] {VeleroKeys.BACKUP_NAME, VeleroKeys.RESTORE_NAME}) {
            JsonNode w = want == null ? null : want.get(key);
            if (w != null && (have == null || !w.equals(have.get(key)))) {
                labels.set(key, w);
            }
        }
        ObjectNode patch = RestoreJson.MAPPER.createObjectNode();
        if (!labels.isEmpty()) {
            patch.putObject("metadata").set("labels", labels);
        }
        return patch;
    }
}

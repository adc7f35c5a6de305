package io.kbackup.core.internal.restore;

import io.kbackup.core.internal.layout.VeleroKeys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * "Does the live object already hold what the backup wants?": every field the restore would send
 * is present in the live object with an equal value (objects field by field, arrays element by
 * element at the same positions, numbers by value). Fields the server added (defaults, assigned
 * IPs, its own metadata) do not count as differences.
 */
final class JsonSubset {
    private JsonSubset() {}

    static boolean covers(JsonNode live, JsonNode want) {
        if (want == null || want.isMissingNode()) {
            return true;
        }
        if (want.isObject()) {
            if (live == null || live.isMissingNode() || live.isNull()) {
                return want.isEmpty();
            }
            if (!live.isObject()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!covers(live.get(e.getKey()), e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (want.isArray()) {
            if (live == null || live.isMissingNode() || live.isNull()) {
                return want.isEmpty();
            }
            if (!live.isArray() || live.size() != want.size()) {
                return false;
            }
            for (int i = 0; i < want.size(); i++) {
                if (!covers(live.get(i), want.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (want.isNull()) {
            return live == null || live.isMissingNode() || live.isNull();
        }
        if (live == null) {
            return false;
        }
        if (want.isNumber() && live.isNumber()) {
            return want.decimalValue().compareTo(live.decimalValue()) == 0;
        }
        return want.equals(live);
    }

    /** A copy of a restore-ready item without the labels the restore adds, for comparing. */
    static ObjectNode withoutRestoreLabels(ObjectNode desired) {
        ObjectNode copy = desired.deepCopy();
        ObjectNode labels = RestoreJson.objectOrNull(RestoreJson.objectOrNull(copy, "metadata"), "labels");
        if (labels != null) {
            labels.remove(VeleroKeys.BACKUP_NAME);
            labels.remove(VeleroKeys.RESTORE_NAME);
        }
        return copy;
    }
}

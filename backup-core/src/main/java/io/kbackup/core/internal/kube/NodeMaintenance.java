package io.kbackup.core.internal.kube;

import java.util.Map;

/** Whether a node is in maintenance mode: cordoned, or carrying the configured maintenance label (any value). */
public final class NodeMaintenance {
    private NodeMaintenance() {}

    /**
     * Why the node is in maintenance mode, or null when it is not.
     *
     * @param unschedulable the node's {@code spec.unschedulable} (any type; only {@code true} counts)
     * @param labels        the node's labels, or null
     * @param label         the maintenance label
     */
    public static String reason(Object unschedulable, Map<String, String> labels, String label) {
        if (Boolean.TRUE.equals(unschedulable)) {
            return "cordoned: spec.unschedulable is true";
        }
        if (labels != null && labels.containsKey(label)) {
            return "label " + label;
        }
        return null;
    }
}

package io.kbackup.core.internal.layout;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The errors and warnings of a backup or restore, in the shape of Velero's
 * {@code <name>-results.gz}: {@code {"errors":R,"warnings":R}} with
 * {@code R = {"velero":[...],"cluster":[...],"namespaces":{"ns":[...]}}}, empty parts left out.
 * Counts every message; keeps at most {@value #MAX_KEPT} messages per kind so that a run with
 * millions of failures does not hold them all. Thread-safe.
 */
public final class OperationResults {
    /** Messages kept per kind (errors, warnings); the counts go on beyond it. */
    public static final int MAX_KEPT = 10_000;

    private final Part errors = new Part();
    private final Part warnings = new Part();

    /** An error about the run itself (not one item). */
    public synchronized void veleroError(String message) {
        errors.add(null, true, message);
    }

    /** An error about an item; {@code namespace} null or empty for a cluster-scoped one. */
    public synchronized void error(String namespace, String message) {
        errors.add(namespace, false, message);
    }

    /** A warning about the run itself. */
    public synchronized void veleroWarning(String message) {
        warnings.add(null, true, message);
    }

    /** A warning about an item; {@code namespace} null or empty for a cluster-scoped one. */
    public synchronized void warning(String namespace, String message) {
        warnings.add(namespace, false, message);
    }

    public synchronized int errorCount() {
        return errors.count;
    }

    public synchronized int warningCount() {
        return warnings.count;
    }

    /** All kept error messages, flattened. */
    public synchronized List<String> errorMessages() {
        return errors.all();
    }

    /** All kept warning messages, flattened. */
    public synchronized List<String> warningMessages() {
        return warnings.all();
    }

    /** {@code {"errors":R,"warnings":R}}. */
    public synchronized ObjectNode toJson() {
        ObjectNode n = GzipJson.MAPPER.createObjectNode();
        n.set("errors", errors.toJson());
        n.set("warnings", warnings.toJson());
        return n;
    }

    private static final class Part {
        final List<String> velero = new ArrayList<>();
        final List<String> cluster = new ArrayList<>();
        final Map<String, List<String>> namespaces = new TreeMap<>();
        int count;
        int kept;

        void add(String namespace, boolean run, String message) {
            count++;
            if (kept >= MAX_KEPT) {
                return;
            }
            kept++;
            if (run) {
                velero.add(message);
            } else if (namespace == null || namespace.isEmpty()) {
                cluster.add(message);
            } else {
                namespaces.computeIfAbsent(namespace, k -> new ArrayList<>()).add(message);
            }
        }

        List<String> all() {
            List<String> out = new ArrayList<>(velero);
            out.addAll(cluster);
            namespaces.values().forEach(out::addAll);
            return out;
        }

        ObjectNode toJson() {
            ObjectNode r = GzipJson.MAPPER.createObjectNode();
            if (!velero.isEmpty()) {
                ArrayNode a = r.putArray("velero");
                velero.forEach(a::add);
            }
            if (!cluster.isEmpty()) {
                ArrayNode a = r.putArray("cluster");
                cluster.forEach(a::add);
            }
            if (!namespaces.isEmpty()) {
                ObjectNode ns = r.putObject("namespaces");
                namespaces.forEach((k, v) -> {
                    ArrayNode a = ns.putArray(k);
                    v.forEach(a::add);
                });
            }
            return r;
        }
    }
}

package io.kbackup.core.internal.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The errors and warnings of a backup or restore, in the shape of Velero's
 * {@code <name>-results.gz} / {@code restore-<name>-results.gz}: {@code {"errors":R,"warnings":R}}
 * with {@code R = {"velero":[...],"cluster":[...],"namespaces":{"ns":[...]}}}, empty parts left
 * out. The one place that writes ({@link #toJson}) and reads ({@link #messages}) that shape. Counts
 * every message; keeps at most {@value #MAX_KEPT} messages per kind so that a run with millions of
 * failures does not hold them all (the file then says how many were left out), and the first
 * {@value #MAX_FIRST} in the order they came for the operation's summary. Thread-safe.
 */
public final class OperationResults {
    /** Messages kept per kind (errors, warnings); the counts go on beyond it. */
    public static final int MAX_KEPT = 10_000;
    /** Messages kept per kind, in arrival order, for {@link #firstErrors()} and {@link #firstWarnings()}. */
    public static final int MAX_FIRST = 200;

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

    /** The first {@value #MAX_FIRST} errors, in the order they came. */
    public synchronized List<String> firstErrors() {
        return List.copyOf(errors.first);
    }

    /** The first {@value #MAX_FIRST} warnings, in the order they came. */
    public synchronized List<String> firstWarnings() {
        return List.copyOf(warnings.first);
    }

    /** {@code {"errors":R,"warnings":R}}. */
    public synchronized ObjectNode toJson() {
        ObjectNode n = GzipJson.MAPPER.createObjectNode();
        n.set("errors", errors.toJson());
        n.set("warnings", warnings.toJson());
        return n;
    }

    /**
     * The messages of one part ({@code errors} or {@code warnings}) of a results document, each
     * prefixed with where it applies ({@code velero: }, {@code cluster: }, {@code <namespace>: }),
     * at most {@code max}.
     */
    public static List<String> messages(JsonNode results, String part, int max) {
        List<String> out = new ArrayList<>();
        JsonNode r = results.path(part);
        r.path("velero").forEach(m -> add(out, max, "velero: " + m.asText()));
        r.path("cluster").forEach(m -> add(out, max, "cluster: " + m.asText()));
        r.path("namespaces").properties().forEach(e -> e.getValue().forEach(m -> add(out, max, e.getKey() + ": " + m.asText())));
        return out;
    }

    private static void add(List<String> out, int max, String message) {
        if (out.size() < max) {
            out.add(message);
        }
    }

    private static final class Part {
        final List<String> velero = new ArrayList<>();
        final List<String> cluster = new ArrayList<>();
        final Map<String, List<String>> namespaces = new TreeMap<>();
        final List<String> first = new ArrayList<>();
        int count;
        int kept;

        void add(String namespace, boolean run, String message) {
            count++;
            if (first.size() < MAX_FIRST) {
                first.add(message);
            }
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

        ObjectNode toJson() {
            ObjectNode r = GzipJson.MAPPER.createObjectNode();
            List<String> run = new ArrayList<>(velero);
            if (count > kept) {
                run.add((count - kept) + " more messages were left out of this file");
            }
            if (!run.isEmpty()) {
                strings(r.putArray("velero"), run);
            }
            if (!cluster.isEmpty()) {
                strings(r.putArray("cluster"), cluster);
            }
            if (!namespaces.isEmpty()) {
                ObjectNode ns = r.putObject("namespaces");
                namespaces.forEach((k, v) -> strings(ns.putArray(k), v));
            }
            return r;
        }

        private static void strings(ArrayNode array, List<String> values) {
            values.forEach(array::add);
        }
    }
}

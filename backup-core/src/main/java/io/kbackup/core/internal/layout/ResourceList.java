package io.kbackup.core.internal.layout;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Velero's {@code <name>-resource-list.json.gz}: {@code "<groupVersion>/<Kind>" -> sorted
 * ["ns/name" or "name"]}. Holds names only (not objects). Thread-safe.
 */
public final class ResourceList {
    private final Map<String, Set<String>> entries = new TreeMap<>();

    /** Records one backed-up item. */
    public synchronized void add(String groupVersion, String kind, String namespace, String name) {
        entries.computeIfAbsent(groupVersion + "/" + kind, k -> new TreeSet<>())
                .add(namespace == null || namespace.isEmpty() ? name : namespace + "/" + name);
    }

    /** The JSON map. */
    public synchronized ObjectNode toJson() {
        ObjectNode n = GzipJson.MAPPER.createObjectNode();
        entries.forEach((k, v) -> {
            ArrayNode a = n.putArray(k);
            v.forEach(a::add);
        });
        return n;
    }
}

package io.kbackup.core.internal.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Velero's {@code restore-<name>-resource-list.json.gz}: {@code "<apiVersion>/<Kind>" -> sorted
 * ["ns/name(<outcome>)" or "name(<outcome>)"]}, written ({@link #toJson}) and read
 * ({@link #count}) here only. Thread-safe.
 */
public final class RestoreResourceList {

    /** The outcome words Velero writes in parentheses after each item. */
    public enum Outcome {
        CREATED("created"), UPDATED("updated"), SKIPPED("skipped"), FAILED("failed");

        private final String word;

        Outcome(String word) {
            this.word = word;
        }

        /** The word as written in the file. */
        public String word() {
            return word;
        }
    }

    private final Map<String, List<String>> entries = new TreeMap<>();

    /** Records what happened to one item; {@code key} is {@code ns/name} or {@code name} in the target cluster. */
    public synchronized void add(String apiVersion, String kind, String key, Outcome outcome) {
        entries.computeIfAbsent(apiVersion + "/" + kind, k -> new ArrayList<>()).add(key + "(" + outcome.word + ")");
    }

    /** The JSON map, each list sorted. */
    public synchronized ObjectNode toJson() {
        ObjectNode json = GzipJson.MAPPER.createObjectNode();
        entries.forEach((k, v) -> {
            ArrayNode a = json.putArray(k);
            v.stream().sorted().forEach(a::add);
        });
        return json;
    }

    /** How many items of a resource-list document ended with each outcome (absent outcomes count 0). */
    public static Map<Outcome, Long> count(JsonNode list) {
        Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            counts.put(o, 0L);
        }
        for (JsonNode items : (Iterable<JsonNode>) list::elements) {
            for (JsonNode item : items) {
                String s = item.asText();
                for (Outcome o : Outcome.values()) {
                    if (s.endsWith("(" + o.word + ")")) {
                        counts.merge(o, 1L, Long::sum);
                        break;
                    }
                }
            }
        }
        return counts;
    }
}

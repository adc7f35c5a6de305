package io.kbackup.core.internal.restore;

import com.fasterxml.jackson.databind.JsonNode;
import io.kbackup.RestorePlan;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The restore plan's filters, each asked of one item alone: the namespace filter
 * ({@code includedNamespaces}/{@code excludedNamespaces}), the resource filter
 * ({@code includedResources}/{@code excludedResources}) and the label selector. Stateless besides
 * the plan; {@link RestoreSelection} combines them with the rules that look at other items.
 */
final class PlanFilters {
    private final RestorePlan plan;

    PlanFilters(RestorePlan plan) {
        this.plan = plan;
    }

    boolean namespaceIncluded(String ns) {
        Set<String> inc = plan.includedNamespaces();
        Set<String> exc = plan.excludedNamespaces();
        if (exc.contains(ns) || exc.contains("*")) {
            return false;
        }
        return inc.isEmpty() || inc.contains("*") || inc.contains(ns);
    }

    boolean resourceIncluded(IndexedItem item) {
        for (String p : plan.excludedResources()) {
            if (resourceMatches(p, item)) {
                return false;
            }
        }
        if (plan.includedResources().isEmpty()) {
            return true;
        }
        for (String p : plan.includedResources()) {
            if (resourceMatches(p, item)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a filter entry names the item's resource: {@code *}, the group-resource
     * ({@code deployments.apps}), the plural alone ({@code deployments}), or the kind
     * ({@code Deployment}, any case).
     */
    static boolean resourceMatches(String pattern, IndexedItem item) {
        if (pattern.equals("*") || pattern.equals(item.groupResource)) {
            return true;
        }
        if (pattern.indexOf('.') < 0) {
            return pattern.equals(item.plural()) || pattern.equalsIgnoreCase(item.kind)
                    || pattern.toLowerCase(Locale.ROOT).equals(item.kind.toLowerCase(Locale.ROOT) + "s");
        }
        return false;
    }

    /** Whether the object's {@code metadata.labels} carry every label of the selector (an empty selector matches all). */
    boolean labelsMatch(JsonNode labels) {
        Map<String, String> selector = plan.labelSelector();
        if (selector.isEmpty()) {
            return true;
        }
        for (Map.Entry<String, String> e : selector.entrySet()) {
            JsonNode v = labels.get(e.getKey());
            if (v == null || !v.isTextual() || !v.asText().equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }
}

package io.kbackup.core.internal.restore;

import io.kbackup.InvalidPlanException;
import io.kbackup.RestorePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Refuses a restore plan whose names match nothing in the backup, before anything is applied. */
final class PlanNameCheck {
    private PlanNameCheck() {}

    /**
     * A namespace mapping, included namespace or included resource that names nothing in the
     * backup is a mistake (a typo would otherwise restore into the source namespace in place):
     * refused, before anything is applied.
     *
     * @throws InvalidPlanException naming what matched nothing and what the backup holds
     */
    static void refuseNamesMatchingNothing(RestorePlan plan, List<IndexedItem> items) {
        Set<String> namespaces = new TreeSet<>();
        for (IndexedItem item : items) {
            if (item.namespace != null) {
                namespaces.add(item.namespace);
            } else if (item.groupResource.equals(RestoreSelection.NAMESPACES)) {
                namespaces.add(item.name);
            }
        }
        List<String> problems = new ArrayList<>();
        for (String from : plan.namespaceMapping().keySet()) {
            if (!namespaces.contains(from)) {
                problems.add("namespaceMapping maps '" + from + "', which is not a namespace of the backup");
            }
        }
        for (String ns : plan.includedNamespaces()) {
            if (!ns.equals("*") && !namespaces.contains(ns)) {
                problems.add("includedNamespaces names '" + ns + "', which is not a namespace of the backup");
            }
        }
        for (String pattern : plan.includedResources()) {
            if (items.stream().noneMatch(i -> PlanFilters.resourceMatches(pattern, i))) {
                problems.add("includedResources names '" + pattern + "', which matches no resource of the backup");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidPlanException("Restore of backup '" + plan.backupName() + "' refused, nothing was changed: "
                    + String.join("; ", problems) + ". The backup's namespaces: " + namespaces
                    + ". Fix the plan (a typo?) or leave the name out.");
        }
    }
}

package io.kbackup;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a restore would do, item by item, without doing it (a dry run).
 *
 * @param backupName the backup previewed
 * @param items      one entry per item in the backup; for a reset ({@link PrunePolicy#PRUNE}) also one per live
 *                   object of the selection the backup lacks ({@link Action#DELETE}, or {@link Action#EXCLUDED} when
 *                   a reset never touches it)
 */
public record RestorePreview(String backupName, List<Item> items) {

    /** What would happen to one item. */
    public enum Action {
        /** It would be created. */
        CREATE,
        /** It exists and would be left alone (policy NONE). */
        SKIP_EXISTS,
        /** It exists and would be patched toward the backup (policy UPDATE). */
        UPDATE,
        /** A filter, the never-restored list or a skip rule leaves it out (or a reset never touches it). */
        EXCLUDED,
        /** Restoring it would fail, as the reason says (e.g. a storage class mapping to a class the cluster lacks). */
        FAIL,
        /** It is in the cluster, not in the backup, and a reset would delete it ({@link PrunePolicy#PRUNE}). */
        DELETE
    }

    /**
     * One item.
     *
     * @param groupResource e.g. {@code deployments.apps}
     * @param namespace     the target namespace (after mapping), or null when cluster-scoped
     * @param name          the name
     * @param action        what would happen
     * @param reason        why, in words
     */
    public record Item(String groupResource, String namespace, String name, Action action, String reason) {}

    public RestorePreview {
        items = List.copyOf(items);
    }

    /** How many items per action. */
    public Map<Action, Long> counts() {
        return items.stream().collect(Collectors.groupingBy(Item::action, Collectors.counting()));
    }
}

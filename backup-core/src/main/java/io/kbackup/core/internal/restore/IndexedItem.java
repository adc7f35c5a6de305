package io.kbackup.core.internal.restore;

import io.kbackup.core.internal.layout.RestoreResourceList;

/**
 * One item of a verified archive, as the restore keeps it in memory: where it is in the backup,
 * where its verified JSON sits in the spool file, the facts the selection rules need, what the
 * restore decided ({@link #decision}, set once by {@link RestoreSelection#decide}) and what it did
 * ({@link #outcome}). The JSON itself is not kept. Facts and the decision are written by one thread
 * before the apply phase; {@link #outcome} is written by the worker that applies the item.
 */
final class IndexedItem {

    /** What happened to an item that was selected for restore. */
    enum Outcome {
        CREATED(RestoreResourceList.Outcome.CREATED),
        UPDATED(RestoreResourceList.Outcome.UPDATED),
        /** Already there and equal to the backup's version (Velero lists it as skipped). */
        UNCHANGED(RestoreResourceList.Outcome.SKIPPED),
        /** Already there, different, and left as is. */
        SKIPPED(RestoreResourceList.Outcome.SKIPPED),
        /** A skip rule (finished pod, completed job, mirror pod). */
        SKIPPED_RULE(RestoreResourceList.Outcome.SKIPPED),
        FAILED(RestoreResourceList.Outcome.FAILED);

        /** As the restore's resource list records it. */
        final RestoreResourceList.Outcome listed;

        Outcome(RestoreResourceList.Outcome listed) {
            this.listed = listed;
        }
    }

    final String groupResource;
    /** Namespace in the backup, or null when cluster-scoped. */
    final String namespace;
    final String name;
    final String apiVersion;
    final String kind;
    final long offset;
    final int length;

    /** Fact: whether the item's labels match the plan's label selector. */
    boolean labelsMatch = true;
    /** Fact: why a skip rule leaves the item out (finished pod, ...), or null. */
    String skipRule;
    /** Why the item comes back although the label selector leaves it out (Velero's additional items), or null. */
    String additional;
    /** Fact: the object's uid and resourceVersion when it was backed up (a reset skips a live object that still has both); may be empty. */
    String uid = "";
    String resourceVersion = "";
    /** Fact: why a reset never touches the item ({@link PruneRules#neverTouched}), or null. */
    String neverTouched;
    /** Whether the item was created by the restore for other items' sake (a Namespace not in the backup). */
    boolean synthetic;
    /** What the restore does with the item; null until decided. */
    RestoreDecision decision;
    volatile Outcome outcome;

    IndexedItem(String groupResource, String namespace, String name, String apiVersion, String kind, long offset, int length) {
        this.groupResource = groupResource;
        this.namespace = namespace;
        this.name = name;
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.offset = offset;
        this.length = length;
    }

    /** Whether the restore applies the item or skips it by a rule (not excluded). */
    boolean selected() {
        return decision != null && decision.selected();
    }

    /** Why the item is excluded, or null when it is not. */
    String excludedBecause() {
        return decision != null && decision.verdict() == RestoreDecision.Verdict.EXCLUDED ? decision.reason() : null;
    }

    /** {@code <ns>/<name>} or {@code <name>}, in the backup's namespace. */
    String key() {
        return namespace == null ? name : namespace + "/" + name;
    }

    /** {@code <gr> <ns>/<name>}, for messages. */
    String describe() {
        return groupResource + " " + key();
    }

    String group() {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    String version() {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    }

    /** The resource's plural (the group-resource up to the first dot). */
    String plural() {
        int dot = groupResource.indexOf('.');
        return dot < 0 ? groupResource : groupResource.substring(0, dot);
    }

    @Override
    public String toString() {
        return describe();
    }
}

package io.kbackup.core.internal.restore;

/**
 * What a restore does with one item of the backup, and why; made once per item by
 * {@link RestoreSelection#decide}.
 *
 * @param verdict what happens
 * @param reason  why it is excluded or skipped, in words; null when applied
 */
record RestoreDecision(Verdict verdict, String reason) {

    /** The three things a restore can do with an item. */
    enum Verdict {
        /** Applied to the cluster. */
        APPLY,
        /** Selected, but a skip rule leaves it out (finished pod, completed job, mirror pod, ...); counted as skipped. */
        SKIP_RULE,
        /** Not part of this restore (filters, never-restored kinds, cluster-wide mode, snapshots). */
        EXCLUDED
    }

    static final RestoreDecision APPLY = new RestoreDecision(Verdict.APPLY, null);

    static RestoreDecision skipRule(String rule) {
        return new RestoreDecision(Verdict.SKIP_RULE, rule);
    }

    static RestoreDecision excluded(String why) {
        return new RestoreDecision(Verdict.EXCLUDED, why);
    }

    /** Applied or skipped by a rule: part of the restore's resource list. */
    boolean selected() {
        return verdict != Verdict.EXCLUDED;
    }
}

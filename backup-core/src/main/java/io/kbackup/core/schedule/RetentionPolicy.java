package io.kbackup.core.schedule;

import io.kbackup.InvalidPlanException;
import java.util.OptionalInt;

/**
 * What the expiry sweep keeps besides unexpired backups. Immutable.
 *
 * <ul>
 *   <li>{@link #expiryOnly()} (the default): a backup is deleted when its expiry has passed, as
 *       Velero does.</li>
 *   <li>{@code keepNewestGood}: the newest {@code Completed} backup of a plan is never deleted,
 *       even past its expiry, so a plan whose recent runs all failed still has something to
 *       restore (Velero issue #9061).</li>
 *   <li>{@code keepLast(n)}: only the {@code n} newest finished backups of a plan are kept; older
 *       ones are deleted even before they expire (Velero issue #3520).</li>
 * </ul>
 * Backups still in progress are never deleted, whatever the policy.
 */
public final class RetentionPolicy {
    private static final RetentionPolicy EXPIRY_ONLY = new RetentionPolicy(false, 0);

    private final boolean keepNewestGood;
    private final int keepLast;

    private RetentionPolicy(boolean keepNewestGood, int keepLast) {
        this.keepNewestGood = keepNewestGood;
        this.keepLast = keepLast;
    }

    /** Delete on expiry only. */
    public static RetentionPolicy expiryOnly() {
        return EXPIRY_ONLY;
    }

    /** A copy that keeps the newest Completed backup past its expiry. */
    public RetentionPolicy keepNewestGood(boolean keep) {
        return new RetentionPolicy(keep, keepLast);
    }

    /**
     * A copy that keeps only the {@code n} newest finished backups.
     *
     * @throws InvalidPlanException when {@code n < 1}
     */
    public RetentionPolicy keepLast(int n) {
        if (n < 1) {
            throw new InvalidPlanException("RetentionPolicy keepLast must be at least 1, was " + n + ".");
        }
        return new RetentionPolicy(keepNewestGood, n);
    }

    /** Whether the newest Completed backup is kept past its expiry. */
    public boolean keepsNewestGood() {
        return keepNewestGood;
    }

    /** The most finished backups kept per plan, if limited. */
    public OptionalInt keepLast() {
        return keepLast == 0 ? OptionalInt.empty() : OptionalInt.of(keepLast);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetentionPolicy other && keepNewestGood == other.keepNewestGood && keepLast == other.keepLast;
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(keepNewestGood) * 31 + keepLast;
    }

    @Override
    public String toString() {
        return "RetentionPolicy[keepNewestGood=" + keepNewestGood + (keepLast > 0 ? ", keepLast=" + keepLast : "") + "]";
    }
}

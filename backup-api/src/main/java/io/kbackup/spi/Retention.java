package io.kbackup.spi;

import io.kbackup.ObjectLock;
import java.time.Instant;
import java.util.Objects;

/**
 * A lock on a stored blob: it can be neither deleted nor overwritten before {@code retainUntil}.
 *
 * @param mode        {@link ObjectLock#GOVERNANCE} or {@link ObjectLock#COMPLIANCE}, never
 *                    {@link ObjectLock#NONE}
 * @param retainUntil when the lock ends
 */
public record Retention(ObjectLock mode, Instant retainUntil) {
    public Retention {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(retainUntil, "retainUntil");
        if (mode == ObjectLock.NONE) {
            throw new IllegalArgumentException("A retention needs the mode GOVERNANCE or COMPLIANCE, not NONE");
        }
    }

    /** Whether the lock still holds at {@code now}. */
    public boolean holdsAt(Instant now) {
        return retainUntil.isAfter(now);
    }
}

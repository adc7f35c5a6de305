package io.kbackup.core.fleet;

import java.time.Instant;
import java.util.Objects;

/**
 * One member's part in a group run: its phase, why it was skipped or failed, and its item counts.
 * Immutable.
 *
 * @param member     the member's name
 * @param phase      where it stands
 * @param skipReason why it was skipped; null unless {@link MemberPhase#SKIPPED}
 * @param message    a human-readable line (the skip or failure reason), or null
 * @param started    when it started (or was skipped), or null while pending
 * @param finished   when it ended, or null while not terminal
 * @param itemsTotal items known (backed up: listed; restored: in the archive after filters)
 * @param itemsDone  items backed up or restored
 * @param errors     errors counted by the engine
 * @param warnings   warnings counted by the engine
 */
public record MemberOutcome(String member, MemberPhase phase, SkipReason skipReason, String message, Instant started,
                            Instant finished, long itemsTotal, long itemsDone, int errors, int warnings) {

    public MemberOutcome {
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(phase, "phase");
    }

    /** A member waiting for its turn. */
    static MemberOutcome pending(String member) {
        return new MemberOutcome(member, MemberPhase.PENDING, null, null, null, null, 0, 0, 0, 0);
    }

    /** A member skipped for {@code reason}. */
    static MemberOutcome skipped(String member, SkipReason reason, String message, Instant at) {
        return new MemberOutcome(member, MemberPhase.SKIPPED, reason, message, at, at, 0, 0, 0, 0);
    }

    /** A member that failed with {@code message} before or while running. */
    static MemberOutcome failed(String member, String message, Instant started, Instant at) {
        return new MemberOutcome(member, MemberPhase.FAILED, null, message, started != null ? started : at, at, 0, 0, 0, 0);
    }

    /** A member started at {@code at}. */
    static MemberOutcome started(String member, Instant at) {
        return new MemberOutcome(member, MemberPhase.STARTED, null, null, at, null, 0, 0, 0, 0);
    }
}

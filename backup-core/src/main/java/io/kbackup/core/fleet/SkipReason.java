package io.kbackup.core.fleet;

/** Why a member of a group run was {@link MemberPhase#SKIPPED skipped}. */
public enum SkipReason {
    /** Its API server answered {@code /readyz} with something other than 200 within the health timeout. */
    UNHEALTHY,
    /** Its API server could not be reached within the health timeout (connection refused, DNS, TLS, timeout). */
    UNREACHABLE,
    /** A restore: the member has no backup of that group run (it joined the group after it, or was skipped then). */
    NO_BACKUP,
    /** A restore: the backup belongs to a cluster that is no longer a member; nothing was restored from it. */
    NOT_A_MEMBER,
    /** The group run was cancelled before the member started. */
    CANCELLED
}

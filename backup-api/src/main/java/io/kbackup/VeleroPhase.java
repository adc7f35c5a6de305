package io.kbackup;

/**
 * What {@link BackupPhase} and {@link RestorePhase} share: each constant has Velero's name for it
 * ({@code status.phase}), {@code NEW} is Velero's default and {@code UNKNOWN} stands for a name this
 * version does not know.
 */
interface VeleroPhase {

    /** The name Velero uses for this phase ({@code PartiallyFailed}), as written to {@code status.phase}. */
    String veleroName();

    /**
     * The constant of {@code type} Velero names {@code phase}: {@code null} or empty is {@code NEW},
     * any other name this version does not know (spelling and case as Velero's) is {@code UNKNOWN}.
     */
    static <P extends Enum<P> & VeleroPhase> P fromVelero(Class<P> type, String phase) {
        if (phase == null || phase.isEmpty()) {
            return Enum.valueOf(type, "NEW");
        }
        for (P p : type.getEnumConstants()) {
            if (p.veleroName().equals(phase)) {
                return p;
            }
        }
        return unknown(type);
    }

    /** The {@code UNKNOWN} constant of {@code type}. */
    static <P extends Enum<P> & VeleroPhase> P unknown(Class<P> type) {
        return Enum.valueOf(type, "UNKNOWN");
    }
}

package io.kbackup.core.internal.layout;

import io.kbackup.ClusterWideMode;
import io.kbackup.ExistingResourcePolicy;
import java.util.Locale;

/**
 * How the public enums are spelled in Velero's objects: the wire encodings, kept out of the public
 * API. Used by both engines (the DirectEngine's {@code velero-backup.json}, the VeleroEngine's CRs).
 */
public final class VeleroValues {
    private VeleroValues() {}

    /** Velero's {@code includeClusterResources}: {@code true}, {@code null} (unset) or {@code false}. */
    public static Boolean includeClusterResources(ClusterWideMode mode) {
        return switch (mode) {
            case ALWAYS -> Boolean.TRUE;
            case AUTO -> null;
            case NEVER -> Boolean.FALSE;
        };
    }

    /** The mode for Velero's {@code includeClusterResources} value ({@code null} = {@link ClusterWideMode#AUTO}). */
    public static ClusterWideMode clusterWideMode(Boolean includeClusterResources) {
        if (includeClusterResources == null) {
            return ClusterWideMode.AUTO;
        }
        return includeClusterResources ? ClusterWideMode.ALWAYS : ClusterWideMode.NEVER;
    }

    /** Velero's {@code existingResourcePolicy}: {@code none} or {@code update}. */
    public static String existingResourcePolicy(ExistingResourcePolicy policy) {
        return policy.name().toLowerCase(Locale.ROOT);
    }
}

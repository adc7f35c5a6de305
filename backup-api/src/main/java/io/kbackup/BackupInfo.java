package io.kbackup;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The details of one backup, as a platform shows them (name, status, created, expires,
 * namespaces, disks, cluster-scoped) and more. Read from the backup's {@code velero-backup.json}
 * in the location, so it describes backups taken by either engine or by Velero itself.
 * Immutable and thread-safe; made by the engines (and with {@link #builder()} by tests and
 * platforms that show backups from elsewhere). New details may be added in later versions
 * without breaking callers.
 */
public final class BackupInfo extends OperationInfo<BackupPhase> {
    private final String location;
    private final Instant created;
    private final Instant expires;
    private final List<String> includedNamespaces;
    private final List<String> excludedNamespaces;
    private final boolean includesDisks;
    private final ClusterWideMode clusterWideMode;
    private final long itemsBackedUp;
    private final int volumeSnapshotsAttempted;
    private final int volumeSnapshotsCompleted;
    private final int errors;
    private final int warnings;
    private final String scheduleName;
    private final Map<String, String> labels;

    private BackupInfo(Builder b) {
        super(b);
        this.location = b.location;
        this.created = b.created;
        this.expires = b.expires;
        this.includedNamespaces = b.includedNamespaces == null ? List.of() : List.copyOf(b.includedNamespaces);
        this.excludedNamespaces = b.excludedNamespaces == null ? List.of() : List.copyOf(b.excludedNamespaces);
        this.includesDisks = b.includesDisks;
        this.clusterWideMode = b.clusterWideMode;
        this.itemsBackedUp = b.itemsBackedUp;
        this.volumeSnapshotsAttempted = b.volumeSnapshotsAttempted;
        this.volumeSnapshotsCompleted = b.volumeSnapshotsCompleted;
        this.errors = b.errors;
        this.warnings = b.warnings;
        this.scheduleName = b.scheduleName;
        this.labels = b.labels == null ? Map.of() : Map.copyOf(b.labels);
    }

    /** A builder with nothing set (lists and maps empty, numbers 0). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these details. */
    public Builder toBuilder() {
        Builder b = new Builder().from(this);
        b.location = location;
        b.created = created;
        b.expires = expires;
        b.includedNamespaces = includedNamespaces;
        b.excludedNamespaces = excludedNamespaces;
        b.includesDisks = includesDisks;
        b.clusterWideMode = clusterWideMode;
        b.itemsBackedUp = itemsBackedUp;
        b.volumeSnapshotsAttempted = volumeSnapshotsAttempted;
        b.volumeSnapshotsCompleted = volumeSnapshotsCompleted;
        b.errors = errors;
        b.warnings = warnings;
        b.scheduleName = scheduleName;
        b.labels = labels;
        return b;
    }

    /** The backup location's name ({@code spec.storageLocation}). */
    public String location() {
        return location;
    }

    /** When the backup object was created; may be null. */
    public Instant created() {
        return created;
    }

    /** When it expires ({@code status.expiration}); may be null. */
    public Instant expires() {
        return expires;
    }

    /** Namespaces asked for; empty means all. Never null. */
    public List<String> includedNamespaces() {
        return includedNamespaces;
    }

    /** Namespaces left out. Never null. */
    public List<String> excludedNamespaces() {
        return excludedNamespaces;
    }

    /** Whether volume data was included. */
    public boolean includesDisks() {
        return includesDisks;
    }

    /** Cluster-scoped resources mode. */
    public ClusterWideMode clusterWideMode() {
        return clusterWideMode;
    }

    /** Items backed up ({@code status.progress.itemsBackedUp}). */
    public long itemsBackedUp() {
        return itemsBackedUp;
    }

    /** CSI volume snapshots attempted. */
    public int volumeSnapshotsAttempted() {
        return volumeSnapshotsAttempted;
    }

    /** CSI volume snapshots completed. */
    public int volumeSnapshotsCompleted() {
        return volumeSnapshotsCompleted;
    }

    /** Number of errors. */
    public int errors() {
        return errors;
    }

    /** Number of warnings. */
    public int warnings() {
        return warnings;
    }

    /** The schedule or plan prefix that made it ({@code velero.io/schedule-name}), or null. */
    public String scheduleName() {
        return scheduleName;
    }

    /** The backup's labels. Never null. */
    public Map<String, String> labels() {
        return labels;
    }

    /** Whether the backup has expired at {@code now}. */
    public boolean isExpiredAt(Instant now) {
        return expires != null && !expires.isAfter(now);
    }

    /**
     * The client-side encryption algorithm ({@link Encryption#ALGORITHM}) of a backup kbackup
     * encrypted, read from its {@value Encryption#LABEL} label; empty for a plain backup.
     */
    public Optional<String> encryption() {
        return Optional.ofNullable(labels.get(Encryption.LABEL));
    }

    /**
     * Whether kbackup encrypted this backup on the client ({@link Encryption}): Velero lists it,
     * but only kbackup (with the key) restores it.
     */
    public boolean encrypted() {
        return labels.containsKey(Encryption.LABEL);
    }

    /** The failure reason, if any. */
    public Optional<String> failure() {
        return Optional.ofNullable(failureReason());
    }

    /** {@code "all"} or the included namespaces joined with commas, as a platform's table shows them. */
    public String namespacesForDisplay() {
        String inc = includedNamespaces.isEmpty() || includedNamespaces.equals(List.of("*")) ? "all" : String.join(",", includedNamespaces);
        return excludedNamespaces.isEmpty() ? inc : inc + " except " + String.join(",", excludedNamespaces);
    }

    @Override
    List<Object> details() {
        return Arrays.asList(location, created, expires, includedNamespaces, excludedNamespaces, includesDisks, clusterWideMode,
                itemsBackedUp, volumeSnapshotsAttempted, volumeSnapshotsCompleted, errors, warnings, scheduleName, labels);
    }

    @Override
    public String toString() {
        return "BackupInfo[name=" + name() + ", phase=" + veleroPhase() + ", location=" + location + ", created=" + created
                + ", started=" + started() + ", completed=" + completed() + ", expires=" + expires
                + ", includedNamespaces=" + includedNamespaces + ", excludedNamespaces=" + excludedNamespaces
                + ", includesDisks=" + includesDisks + ", clusterWideMode=" + clusterWideMode
                + ", itemsTotal=" + itemsTotal() + ", itemsBackedUp=" + itemsBackedUp
                + ", volumeSnapshotsAttempted=" + volumeSnapshotsAttempted
                + ", volumeSnapshotsCompleted=" + volumeSnapshotsCompleted + ", errors=" + errors
                + ", warnings=" + warnings + ", failureReason=" + failureReason() + ", scheduleName=" + scheduleName
                + ", labels=" + labels + (encrypted() ? ", encrypted (only kbackup restores it)" : "") + "]";
    }

    /** Builds a {@link BackupInfo}. Not thread-safe. */
    public static final class Builder extends InfoBuilder<BackupPhase, Builder> {
        private String location;
        private Instant created;
        private Instant expires;
        private List<String> includedNamespaces = List.of();
        private List<String> excludedNamespaces = List.of();
        private boolean includesDisks;
        private ClusterWideMode clusterWideMode;
        private long itemsBackedUp;
        private int volumeSnapshotsAttempted;
        private int volumeSnapshotsCompleted;
        private int errors;
        private int warnings;
        private String scheduleName;
        private Map<String, String> labels = Map.of();

        private Builder() {
            super(BackupPhase.class);
        }

        /** See {@link BackupInfo#location()}. */
        public Builder location(String location) {
            this.location = location;
            return this;
        }

        /** See {@link BackupInfo#created()}. */
        public Builder created(Instant created) {
            this.created = created;
            return this;
        }

        /** See {@link BackupInfo#expires()}. */
        public Builder expires(Instant expires) {
            this.expires = expires;
            return this;
        }

        /** See {@link BackupInfo#includedNamespaces()}. */
        public Builder includedNamespaces(List<String> includedNamespaces) {
            this.includedNamespaces = includedNamespaces;
            return this;
        }

        /** See {@link BackupInfo#excludedNamespaces()}. */
        public Builder excludedNamespaces(List<String> excludedNamespaces) {
            this.excludedNamespaces = excludedNamespaces;
            return this;
        }

        /** See {@link BackupInfo#includesDisks()}. */
        public Builder includesDisks(boolean includesDisks) {
            this.includesDisks = includesDisks;
            return this;
        }

        /** See {@link BackupInfo#clusterWideMode()}. */
        public Builder clusterWideMode(ClusterWideMode clusterWideMode) {
            this.clusterWideMode = clusterWideMode;
            return this;
        }

        /** See {@link BackupInfo#itemsBackedUp()}. */
        public Builder itemsBackedUp(long itemsBackedUp) {
            this.itemsBackedUp = itemsBackedUp;
            return this;
        }

        /** See {@link BackupInfo#volumeSnapshotsAttempted()}. */
        public Builder volumeSnapshotsAttempted(int volumeSnapshotsAttempted) {
            this.volumeSnapshotsAttempted = volumeSnapshotsAttempted;
            return this;
        }

        /** See {@link BackupInfo#volumeSnapshotsCompleted()}. */
        public Builder volumeSnapshotsCompleted(int volumeSnapshotsCompleted) {
            this.volumeSnapshotsCompleted = volumeSnapshotsCompleted;
            return this;
        }

        /** See {@link BackupInfo#errors()}. */
        public Builder errors(int errors) {
            this.errors = errors;
            return this;
        }

        /** See {@link BackupInfo#warnings()}. */
        public Builder warnings(int warnings) {
            this.warnings = warnings;
            return this;
        }

        /** See {@link BackupInfo#scheduleName()}. */
        public Builder scheduleName(String scheduleName) {
            this.scheduleName = scheduleName;
            return this;
        }

        /** See {@link BackupInfo#labels()}. */
        public Builder labels(Map<String, String> labels) {
            this.labels = labels;
            return this;
        }

        /** Builds the details. */
        public BackupInfo build() {
            return new BackupInfo(this);
        }
    }
}

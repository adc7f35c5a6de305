package io.kbackup.core.velero;

import io.kbackup.InvalidPlanException;
import io.kbackup.spi.StorageProviders;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the {@link VeleroEngine} reaches and waits for the Velero server. Immutable and
 * thread-safe; build with {@link #builder()}.
 *
 * <pre>{@code
 * VeleroOptions options = VeleroOptions.builder()
 *         .namespace("velero")
 *         .fileSystemBackup(true)          // include-all-disks uses Velero's file-system backup
 *         .pickupTimeout(Duration.ofMinutes(5))
 *         .build();
 * }</pre>
 *
 * <p>Defaults: namespace {@code velero}; pickup timeout 2 min; location validation wait 30 s;
 * backup sync wait 2 min; delete wait 5 min; no file-system backup; the "every two weeks"
 * schedule refused (see {@link Builder#approximateEveryTwoWeeks(boolean)}); UTC system clock;
 * storage providers discovered through {@code ServiceLoader}.
 */
public final class VeleroOptions {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    /** The settings: a copy of the builder's, which nothing changes. */
    private final Builder values;

    private VeleroOptions(Builder b) {
        this.values = b.copy();
    }

    /** The defaults. */
    public static VeleroOptions defaults() {
        return builder().build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The namespace Velero runs in, where its custom resources are created. Default {@code velero}. */
    public String namespace() {
        return values.namespace;
    }

    /**
     * How long a new Backup, Restore or DeleteBackupRequest may wait for the Velero server to pick
     * it up (its phase to leave {@code New}) before the handle fails saying the server does not
     * seem to run. Default 2 minutes.
     */
    public Duration pickupTimeout() {
        return values.pickupTimeout;
    }

    /**
     * How long {@code backup()} / {@code restore()} wait for Velero's validation of a
     * BackupStorageLocation (or its credentials Secret) they just created or changed, so that an
     * unusable location fails at once with Velero's message rather than a verdict on the old
     * settings. When it passes without a verdict the operation goes ahead (Velero then refuses a
     * backup to an unusable location with {@code FailedValidation}). Zero does not wait. Default 30 s:
     * Velero validates a new or changed location at once, and one whose Secret alone changed (the
     * engine asks for it) at its next look, within 10 s.
     */
    public Duration locationValidationTimeout() {
        return values.locationValidationTimeout;
    }

    /**
     * How long a restore of a backup that is in the bucket but not yet known to Velero (taken by
     * the DirectEngine, or by another cluster) waits for Velero's backup sync to bring it in
     * (Velero syncs every {@code backupSyncPeriod}, 1 minute by default). Default 2 minutes.
     */
    public Duration syncTimeout() {
        return values.syncTimeout;
    }

    /** How long {@code deleteBackup} waits for Velero to process its DeleteBackupRequest. Default 5 minutes. */
    public Duration deleteTimeout() {
        return values.deleteTimeout;
    }

    /**
     * Whether "include all disks" uses Velero's file-system backup (node agent, Kopia) for pod
     * volumes ({@code defaultVolumesToFsBackup: true}) in addition to volume snapshots. Default
     * false: volume snapshots only ({@code snapshotVolumes: true}).
     */
    public boolean fileSystemBackup() {
        return values.fileSystemBackup;
    }

    /**
     * Whether {@code Schedule.everyTwoWeeks()} is accepted as Velero's {@code @every 336h}. Velero
     * counts that interval from the Schedule's creation (then from each backup), not from the
     * schedule's anchor date and not at midnight, so runs fall on a different weekday and hour;
     * default false: such plans are refused with an {@link InvalidPlanException}.
     */
    public boolean approximateEveryTwoWeeks() {
        return values.approximateEveryTwoWeeks;
    }

    /** The clock for backup and restore names. Default the UTC system clock. */
    public Clock clock() {
        return values.clock;
    }

    /** The storage providers that read the bucket (listing, describing, results). Default discovery. */
    public StorageProviders storageProviders() {
        return values.storageProviders;
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        return values.copy();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VeleroOptions other && values.values().equals(other.values.values());
    }

    @Override
    public int hashCode() {
        return values.values().hashCode();
    }

    @Override
    public String toString() {
        return "VeleroOptions[namespace=" + values.namespace + ", pickupTimeout=" + values.pickupTimeout + ", locationValidationTimeout="
                + values.locationValidationTimeout + ", syncTimeout=" + values.syncTimeout + ", deleteTimeout=" + values.deleteTimeout
                + ", fileSystemBackup=" + values.fileSystemBackup + ", approximateEveryTwoWeeks=" + values.approximateEveryTwoWeeks + "]";
    }

    /** Builds {@link VeleroOptions}; {@link #build()} validates. Not thread-safe. */
    public static final class Builder implements Cloneable {
        private String namespace = "velero";
        private Duration pickupTimeout = Duration.ofMinutes(2);
        private Duration locationValidationTimeout = Duration.ofSeconds(30);
        private Duration syncTimeout = Duration.ofMinutes(2);
        private Duration deleteTimeout = Duration.ofMinutes(5);
        private boolean fileSystemBackup;
        private boolean approximateEveryTwoWeeks;
        private Clock clock = Clock.systemUTC();
        private StorageProviders storageProviders = StorageProviders.discover();

        private Builder() {}

        private Builder copy() {
            try {
                return (Builder) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError("VeleroOptions.Builder is Cloneable", e);
            }
        }

        /** Every setting's value, for equality. */
        private List<Object> values() {
            return Arrays.asList(namespace, pickupTimeout, locationValidationTimeout, syncTimeout, deleteTimeout, fileSystemBackup,
                    approximateEveryTwoWeeks, clock, storageProviders);
        }

        /** Velero's namespace. Default {@code velero}. */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** See {@link VeleroOptions#pickupTimeout()}. */
        public Builder pickupTimeout(Duration timeout) {
            this.pickupTimeout = timeout;
            return this;
        }

        /** See {@link VeleroOptions#locationValidationTimeout()}; zero does not wait. */
        public Builder locationValidationTimeout(Duration timeout) {
            this.locationValidationTimeout = timeout;
            return this;
        }

        /** See {@link VeleroOptions#syncTimeout()}. */
        public Builder syncTimeout(Duration timeout) {
            this.syncTimeout = timeout;
            return this;
        }

        /** See {@link VeleroOptions#deleteTimeout()}. */
        public Builder deleteTimeout(Duration timeout) {
            this.deleteTimeout = timeout;
            return this;
        }

        /** See {@link VeleroOptions#fileSystemBackup()}. */
        public Builder fileSystemBackup(boolean fileSystemBackup) {
            this.fileSystemBackup = fileSystemBackup;
            return this;
        }

        /** See {@link VeleroOptions#approximateEveryTwoWeeks()}. */
        public Builder approximateEveryTwoWeeks(boolean approximate) {
            this.approximateEveryTwoWeeks = approximate;
            return this;
        }

        /** The clock for names. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where storage providers come from. */
        public Builder storageProviders(StorageProviders providers) {
            this.storageProviders = Objects.requireNonNull(providers, "storageProviders");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws InvalidPlanException naming the field that is wrong
         */
        public VeleroOptions build() {
            if (namespace == null || !DNS_LABEL.matcher(namespace).matches()) {
                throw new InvalidPlanException("VeleroOptions namespace '" + namespace
                        + "' is not a valid namespace name; Velero's default is 'velero'.");
            }
            positive("pickupTimeout", pickupTimeout);
            positive("syncTimeout", syncTimeout);
            positive("deleteTimeout", deleteTimeout);
            if (locationValidationTimeout == null || locationValidationTimeout.isNegative()) {
                throw new InvalidPlanException("VeleroOptions locationValidationTimeout must be zero or positive, was "
                        + locationValidationTimeout + ".");
            }
            return new VeleroOptions(this);
        }

        private static void positive(String field, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new InvalidPlanException("VeleroOptions " + field + " must be positive, was " + d + ".");
            }
        }
    }
}

package io.kbackup;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to back up, where, when and for how long. Immutable and thread-safe; build with
 * {@link #builder()}.
 *
 * <pre>{@code
 * BackupPlan plan = BackupPlan.builder()
 *         .prefix("nightly")                              // names: nightly-20261121020000
 *         .location(location)
 *         .schedule(Schedule.cron("0 2 * * *"))
 *         .expiry(Duration.ofDays(7))
 *         .includedNamespaces("shop", "payments")
 *         .clusterWideMode(ClusterWideMode.AUTO)
 *         .build();
 * }</pre>
 *
 * <p>Defaults: expiry 720h (Velero's), {@link ClusterWideMode#AUTO}, all namespaces, all
 * resources, no label selector, disks not included, {@link Schedule#never()}.
 */
public final class BackupPlan extends SelectionPlan {

    /** Velero's default backup TTL: 720 hours. */
    public static final Duration DEFAULT_EXPIRY = Duration.ofHours(720);

    /** Format of the timestamp appended to a prefix: {@code yyyyMMddHHmmss}, UTC. */
    public static final DateTimeFormatter NAME_TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    /** Longest backup name: it is also a label value. */
    public static final int MAX_NAME_LENGTH = 63;

    private final String name;
    private final String prefix;
    private final Schedule schedule;
    private final Duration expiry;
    private final boolean includeAllDisks;
    private final Map<String, String> labels;

    private BackupPlan(Builder b) {
        super(b);
        this.name = b.name;
        this.prefix = b.prefix;
        this.schedule = b.schedule;
        this.expiry = b.expiry;
        this.includeAllDisks = b.includeAllDisks;
        this.labels = Checks.labels("labels", b.labels);
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A fixed backup name, if one was given (otherwise names come from {@link #prefix()}). */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** The name prefix, if one was given. */
    public Optional<String> prefix() {
        return Optional.ofNullable(prefix);
    }

    /**
     * The backup name for a run starting at {@code start}: the fixed name, or
     * {@code <prefix>-<yyyyMMddHHmmss>} in UTC.
     */
    public String backupNameAt(Instant start) {
        return name != null ? name : prefix + "-" + NAME_TIMESTAMP.format(start);
    }

    /** When the plan runs by itself; {@link Schedule#never()} by default. */
    public Schedule schedule() {
        return schedule;
    }

    /** How long a backup is kept: {@code expires = start + expiry}. Default 720h. */
    public Duration expiry() {
        return expiry;
    }

    /** Whether volume data is kept too (CSI snapshots / Velero volume snapshots). Default false. */
    public boolean includeAllDisks() {
        return includeAllDisks;
    }

    /** Extra labels put on the backup's metadata (and Velero CRs). */
    public Map<String, String> labels() {
        return labels;
    }

    /** A builder holding this plan's values. */
    public Builder toBuilder() {
        Builder b = copySelection(new Builder());
        b.name = name;
        b.prefix = prefix;
        b.schedule = schedule;
        b.expiry = expiry;
        b.includeAllDisks = includeAllDisks;
        b.labels = new LinkedHashMap<>(labels);
        return b;
    }

    @Override
    List<Object> settings() {
        return Arrays.asList(name, prefix, schedule, expiry, includeAllDisks, labels);
    }

    /** Never prints a secret: the location shows its name only. */
    @Override
    public String toString() {
        return "BackupPlan[" + (name != null ? "name=" + name : "prefix=" + prefix) + ", " + selectionString()
                + ", schedule=" + schedule + ", expiry=" + expiry + ", includeAllDisks=" + includeAllDisks
                + (labels.isEmpty() ? "" : ", labels=" + labels) + "]";
    }

    /** Builds a {@link BackupPlan}; {@link #build()} validates. Not thread-safe. */
    public static final class Builder extends SelectionBuilder<Builder> {
        private String name;
        private String prefix;
        private Schedule schedule = Schedule.never();
        private Duration expiry = DEFAULT_EXPIRY;
        private boolean includeAllDisks;
        private Map<String, String> labels = new LinkedHashMap<>();

        private Builder() {}

        /** A fixed backup name (DNS subdomain, at most 63 characters). Give this or {@link #prefix}. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** A name prefix: each backup is named {@code <prefix>-<yyyyMMddHHmmss>} (UTC). At most 48 characters. */
        public Builder prefix(String prefix) {
            this.prefix = prefix;
            return this;
        }

        /** When the plan runs by itself. Default never. */
        public Builder schedule(Schedule schedule) {
            this.schedule = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        /** How long each backup is kept. Default 720h. Must be positive. */
        public Builder expiry(Duration expiry) {
            this.expiry = expiry;
            return this;
        }

        /** Keep volume data too. Default false. */
        public Builder includeAllDisks(boolean includeAllDisks) {
            this.includeAllDisks = includeAllDisks;
            return this;
        }

        /** Extra labels for the backup's metadata. */
        public Builder labels(Map<String, String> labels) {
            this.labels = new LinkedHashMap<>(labels);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws InvalidPlanException naming the field that is wrong and what to do
         */
        public BackupPlan build() {
            if (location == null) {
                throw new InvalidPlanException("BackupPlan: location is required; e.g. BackupLocation.localFolder(path).build().");
            }
            if (name == null && prefix == null) {
                throw new InvalidPlanException("BackupPlan: give a name or a prefix (names are then <prefix>-<yyyyMMddHHmmss>).");
            }
            if (name != null && prefix != null) {
                throw new InvalidPlanException("BackupPlan: give a name or a prefix, not both.");
            }
            if (name != null) {
                Checks.backupName("BackupPlan name", name, MAX_NAME_LENGTH);
                if (schedule.isScheduled()) {
                    throw new InvalidPlanException("BackupPlan '" + name + "' has a schedule but a fixed name: each scheduled run"
                            + " needs its own name, so give a prefix instead.");
                }
            }
            if (prefix != null) {
                Checks.backupName("BackupPlan prefix", prefix, MAX_NAME_LENGTH - 15);
            }
            if (expiry == null || expiry.isNegative() || expiry.isZero()) {
                throw new InvalidPlanException("BackupPlan expiry must be positive, was " + expiry + "; the default is 720h.");
            }
            return new BackupPlan(this);
        }
    }
}

package io.kbackup;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The details of one restore. Immutable and thread-safe; made by the engines (and with
 * {@link #builder()} by tests). New details may be added in later versions without breaking
 * callers.
 */
public final class RestoreInfo {
    private final String name;
    private final String backupName;
    private final RestorePhase phase;
    private final String veleroPhase;
    private final Instant started;
    private final Instant completed;
    private final long itemsTotal;
    private final long itemsRestored;
    private final long created;
    private final long updated;
    private final long unchanged;
    private final long skipped;
    private final long failed;
    private final List<String> errors;
    private final List<String> warnings;
    private final Map<String, String> namespaceMapping;
    private final String failureReason;

    private RestoreInfo(Builder b) {
        this.name = b.name;
        this.backupName = b.backupName;
        this.phase = b.phase;
        this.veleroPhase = b.veleroPhase;
        this.started = b.started;
        this.completed = b.completed;
        this.itemsTotal = b.itemsTotal;
        this.itemsRestored = b.itemsRestored;
        this.created = b.created;
        this.updated = b.updated;
        this.unchanged = b.unchanged;
        this.skipped = b.skipped;
        this.failed = b.failed;
        this.errors = b.errors == null ? List.of() : List.copyOf(b.errors);
        this.warnings = b.warnings == null ? List.of() : List.copyOf(b.warnings);
        this.namespaceMapping = b.namespaceMapping == null ? Map.of() : Map.copyOf(b.namespaceMapping);
        this.failureReason = b.failureReason;
    }

    /** A builder with nothing set (lists and maps empty, numbers 0). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these details. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.backupName = backupName;
        b.phase = phase;
        b.veleroPhase = veleroPhase;
        b.started = started;
        b.completed = completed;
        b.itemsTotal = itemsTotal;
        b.itemsRestored = itemsRestored;
        b.created = created;
        b.updated = updated;
        b.unchanged = unchanged;
        b.skipped = skipped;
        b.failed = failed;
        b.errors = errors;
        b.warnings = warnings;
        b.namespaceMapping = namespaceMapping;
        b.failureReason = failureReason;
        return b;
    }

    /** The restore's name. */
    public String name() {
        return name;
    }

    /** The backup restored from. */
    public String backupName() {
        return backupName;
    }

    /** The phase; {@link RestorePhase#UNKNOWN} for a phase this version does not know (see {@link #veleroPhase()}). */
    public RestorePhase phase() {
        return phase;
    }

    /**
     * The phase as Velero names it ({@code PartiallyFailed}): {@code phase().veleroName()}, or for
     * {@link RestorePhase#UNKNOWN} the name that was read ({@code status.phase}); null when the phase is.
     */
    public String veleroPhase() {
        return phase == RestorePhase.UNKNOWN && veleroPhase != null ? veleroPhase : phase == null ? null : phase.veleroName();
    }

    /** When it started; may be null. */
    public Instant started() {
        return started;
    }

    /** When it ended; null while running. */
    public Instant completed() {
        return completed;
    }

    /**
     * Items the restore considered: selected by the plan, including those a rule skips. The counts
     * {@link #created()}, {@link #updated()}, {@link #unchanged()}, {@link #skipped()} and
     * {@link #failed()} are disjoint and add up to it when the restore ran to its end.
     */
    public long itemsTotal() {
        return itemsTotal;
    }

    /** Items done: {@link #created()} + {@link #updated()} + {@link #unchanged()}. */
    public long itemsRestored() {
        return itemsRestored;
    }

    /** Items created. */
    public long created() {
        return created;
    }

    /** Items that existed, differed and were patched to the backup's version (policy UPDATE; a ServiceAccount merged). */
    public long updated() {
        return updated;
    }

    /** Items that existed and already equalled the backup's version (after the restore's reset); left as they are. */
    public long unchanged() {
        return unchanged;
    }

    /**
     * Items not applied: left out by a rule (finished pods, completed jobs, legacy service-account
     * token Secrets, ...; the log names the rule per item), or existing and different and left as they
     * are (policy NONE, or a patch the API server refused; each with a warning).
     */
    public long skipped() {
        return skipped;
    }

    /** Items that failed. */
    public long failed() {
        return failed;
    }

    /** Error messages, at most a few hundred, each naming the item. Never null. */
    public List<String> errors() {
        return errors;
    }

    /** Warning messages, likewise. Never null. */
    public List<String> warnings() {
        return warnings;
    }

    /** The namespace mapping applied. Never null. */
    public Map<String, String> namespaceMapping() {
        return namespaceMapping;
    }

    /** Why it failed as a whole, or null. */
    public String failureReason() {
        return failureReason;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RestoreInfo other)) {
            return false;
        }
        return Objects.equals(name, other.name) && Objects.equals(backupName, other.backupName) &&
                Objects.equals(phase, other.phase) && Objects.equals(veleroPhase(), other.veleroPhase()) &&
                Objects.equals(started, other.started) &&
                Objects.equals(completed, other.completed) && itemsTotal == other.itemsTotal &&
                itemsRestored == other.itemsRestored && created == other.created && updated == other.updated && unchanged == other.unchanged &&
                skipped == other.skipped && failed == other.failed && Objects.equals(errors, other.errors) &&
                Objects.equals(warnings, other.warnings) && Objects.equals(namespaceMapping, other.namespaceMapping) &&
                Objects.equals(failureReason, other.failureReason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, veleroPhase(), backupName, phase, started, completed, itemsTotal, itemsRestored, created, updated,
                unchanged, skipped, failed, errors, warnings, namespaceMapping, failureReason);
    }

    @Override
    public String toString() {
        return "RestoreInfo[name=" + name + ", backupName=" + backupName + ", phase=" + veleroPhase() + ", started=" + started
                + ", completed=" + completed + ", itemsTotal=" + itemsTotal + ", itemsRestored=" + itemsRestored
                + ", created=" + created + ", updated=" + updated + ", unchanged=" + unchanged + ", skipped=" + skipped + ", failed=" + failed
                + ", errors=" + errors + ", warnings=" + warnings + ", namespaceMapping=" + namespaceMapping
                + ", failureReason=" + failureReason + "]";
    }

    /** Builds a {@link RestoreInfo}. Not thread-safe. */
    public static final class Builder {
        private String name;
        private String backupName;
        private RestorePhase phase;
        private String veleroPhase;
        private Instant started;
        private Instant completed;
        private long itemsTotal;
        private long itemsRestored;
        private long created;
        private long updated;
        private long unchanged;
        private long skipped;
        private long failed;
        private List<String> errors = List.of();
        private List<String> warnings = List.of();
        private Map<String, String> namespaceMapping = Map.of();
        private String failureReason;

        private Builder() {}

        /** See {@link RestoreInfo#name()}. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** See {@link RestoreInfo#backupName()}. */
        public Builder backupName(String backupName) {
            this.backupName = backupName;
            return this;
        }

        /** See {@link RestoreInfo#phase()}. */
        public Builder phase(RestorePhase phase) {
            this.phase = phase;
            this.veleroPhase = null;
            return this;
        }

        /**
         * Sets the phase from Velero's name for it ({@link RestorePhase#fromVelero(String)}), keeping a
         * name this version does not know as {@link RestoreInfo#veleroPhase()}.
         */
        public Builder veleroPhase(String veleroPhase) {
            this.phase = RestorePhase.fromVelero(veleroPhase);
            this.veleroPhase = this.phase == RestorePhase.UNKNOWN ? veleroPhase : null;
            return this;
        }

        /** See {@link RestoreInfo#started()}. */
        public Builder started(Instant started) {
            this.started = started;
            return this;
        }

        /** See {@link RestoreInfo#completed()}. */
        public Builder completed(Instant completed) {
            this.completed = completed;
            return this;
        }

        /** See {@link RestoreInfo#itemsTotal()}. */
        public Builder itemsTotal(long itemsTotal) {
            this.itemsTotal = itemsTotal;
            return this;
        }

        /** See {@link RestoreInfo#itemsRestored()}. */
        public Builder itemsRestored(long itemsRestored) {
            this.itemsRestored = itemsRestored;
            return this;
        }

        /** See {@link RestoreInfo#created()}. */
        public Builder created(long created) {
            this.created = created;
            return this;
        }

        /** See {@link RestoreInfo#updated()}. */
        public Builder updated(long updated) {
            this.updated = updated;
            return this;
        }

        /** See {@link RestoreInfo#unchanged()}. */
        public Builder unchanged(long unchanged) {
            this.unchanged = unchanged;
            return this;
        }

        /** See {@link RestoreInfo#skipped()}. */
        public Builder skipped(long skipped) {
            this.skipped = skipped;
            return this;
        }

        /** See {@link RestoreInfo#failed()}. */
        public Builder failed(long failed) {
            this.failed = failed;
            return this;
        }

        /** See {@link RestoreInfo#errors()}. */
        public Builder errors(List<String> errors) {
            this.errors = errors;
            return this;
        }

        /** See {@link RestoreInfo#warnings()}. */
        public Builder warnings(List<String> warnings) {
            this.warnings = warnings;
            return this;
        }

        /** See {@link RestoreInfo#namespaceMapping()}. */
        public Builder namespaceMapping(Map<String, String> namespaceMapping) {
            this.namespaceMapping = namespaceMapping;
            return this;
        }

        /** See {@link RestoreInfo#failureReason()}. */
        public Builder failureReason(String failureReason) {
            this.failureReason = failureReason;
            return this;
        }

        /** Builds the details. */
        public RestoreInfo build() {
            return new RestoreInfo(this);
        }
    }
}

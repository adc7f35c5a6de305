package io.kbackup;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The details of one restore. Immutable and thread-safe; made by the engines (and with
 * {@link #builder()} by tests). New details may be added in later versions without breaking
 * callers.
 */
public final class RestoreInfo extends OperationInfo<RestorePhase> {
    private final String backupName;
    private final long itemsRestored;
    private final long created;
    private final long updated;
    private final long unchanged;
    private final long skipped;
    private final long failed;
    private final List<String> errors;
    private final List<String> warnings;
    private final Map<String, String> namespaceMapping;

    private RestoreInfo(Builder b) {
        super(b);
        this.backupName = b.backupName;
        this.itemsRestored = b.itemsRestored;
        this.created = b.created;
        this.updated = b.updated;
        this.unchanged = b.unchanged;
        this.skipped = b.skipped;
        this.failed = b.failed;
        this.errors = b.errors == null ? List.of() : List.copyOf(b.errors);
        this.warnings = b.warnings == null ? List.of() : List.copyOf(b.warnings);
        this.namespaceMapping = b.namespaceMapping == null ? Map.of() : Map.copyOf(b.namespaceMapping);
    }

    /** A builder with nothing set (lists and maps empty, numbers 0). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these details. */
    public Builder toBuilder() {
        Builder b = new Builder().from(this);
        b.backupName = backupName;
        b.itemsRestored = itemsRestored;
        b.created = created;
        b.updated = updated;
        b.unchanged = unchanged;
        b.skipped = skipped;
        b.failed = failed;
        b.errors = errors;
        b.warnings = warnings;
        b.namespaceMapping = namespaceMapping;
        return b;
    }

    /** The backup restored from. */
    public String backupName() {
        return backupName;
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

    @Override
    List<Object> details() {
        return Arrays.asList(backupName, itemsRestored, created, updated, unchanged, skipped, failed, errors, warnings,
                namespaceMapping);
    }

    @Override
    public String toString() {
        return "RestoreInfo[name=" + name() + ", backupName=" + backupName + ", phase=" + veleroPhase() + ", started=" + started()
                + ", completed=" + completed() + ", itemsTotal=" + itemsTotal() + ", itemsRestored=" + itemsRestored
                + ", created=" + created + ", updated=" + updated + ", unchanged=" + unchanged + ", skipped=" + skipped + ", failed=" + failed
                + ", errors=" + errors + ", warnings=" + warnings + ", namespaceMapping=" + namespaceMapping
                + ", failureReason=" + failureReason() + "]";
    }

    /** Builds a {@link RestoreInfo}. Not thread-safe. */
    public static final class Builder extends InfoBuilder<RestorePhase, Builder> {
        private String backupName;
        private long itemsRestored;
        private long created;
        private long updated;
        private long unchanged;
        private long skipped;
        private long failed;
        private List<String> errors = List.of();
        private List<String> warnings = List.of();
        private Map<String, String> namespaceMapping = Map.of();

        private Builder() {
            super(RestorePhase.class);
        }

        /** See {@link RestoreInfo#backupName()}. */
        public Builder backupName(String backupName) {
            this.backupName = backupName;
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

        /** Builds the details. */
        public RestoreInfo build() {
            return new RestoreInfo(this);
        }
    }
}

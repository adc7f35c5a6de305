package io.kbackup;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link BackupClient#verify} found in one backup, without a cluster: its manifest and
 * signature, whether it decrypts, whether every item parses, whether the counts and the resource
 * list agree with the archive; and, for a drill, whether a restore into a throwaway cluster gave
 * back every item as backed up. {@link #ok()} when nothing is wrong; {@link #problems()} says
 * what is, {@link #warnings()} what cannot be proven (no manifest, no signature). Immutable.
 */
public final class VerifyReport {

    /** What the manifest's signature showed. */
    public enum SignatureStatus {
        /** Signed with a configured key, and the signature holds. */
        VALID,
        /** Signed, but the signature does not hold, or its key is not configured: a problem. */
        INVALID,
        /** Signed, but no verification key is configured: the signature was not checked. */
        UNVERIFIED,
        /** The manifest has no signature. */
        UNSIGNED,
        /** The backup has no manifest at all (Velero wrote it). */
        NO_MANIFEST
    }

    private final String backupName;
    private final SignatureStatus signature;
    private final String signingKeyId;
    private final String encryption;
    private final long items;
    private final long itemsCompared;
    private final boolean drilled;
    private final List<String> problems;
    private final List<String> warnings;

    private VerifyReport(Builder b) {
        this.backupName = Objects.requireNonNull(b.backupName, "backupName");
        this.signature = Objects.requireNonNull(b.signature, "signature");
        this.signingKeyId = b.signingKeyId;
        this.encryption = b.encryption;
        this.items = b.items;
        this.itemsCompared = b.itemsCompared;
        this.drilled = b.drilled;
        this.problems = List.copyOf(b.problems);
        this.warnings = List.copyOf(b.warnings);
    }

    /** A builder (for engines). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this report's values (a drill adds its findings to a verify's report). */
    public Builder toBuilder() {
        Builder b = new Builder().backupName(backupName).signature(signature, signingKeyId).encryption(encryption).items(items);
        b.itemsCompared = itemsCompared;
        b.drilled = drilled;
        b.problems.addAll(problems);
        b.warnings.addAll(warnings);
        return b;
    }

    /** The backup. */
    public String backupName() {
        return backupName;
    }

    /** True when no problem was found (warnings may remain). */
    public boolean ok() {
        return problems.isEmpty();
    }

    /** What the signature showed. */
    public SignatureStatus signature() {
        return signature;
    }

    /** The id of the key that signed the manifest, or null when unsigned. */
    public String signingKeyId() {
        return signingKeyId;
    }

    /** {@code <algorithm> with <provider>/<keyId>} for an encrypted backup, else null. */
    public String encryption() {
        return encryption;
    }

    /** Items read from the archive (0 when it could not be read). */
    public long items() {
        return items;
    }

    /** Whether a drill restored the backup into a cluster and compared it item by item. */
    public boolean drilled() {
        return drilled;
    }

    /** Items a drill compared with the restored cluster and found equal. */
    public long itemsCompared() {
        return itemsCompared;
    }

    /** What is wrong, each with what was expected and found. Empty when {@link #ok()}. */
    public List<String> problems() {
        return problems;
    }

    /** What could not be proven. */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public String toString() {
        return "VerifyReport[backup=" + backupName + ", ok=" + ok() + ", signature=" + signature
                + (signingKeyId != null ? " (" + signingKeyId + ")" : "") + (encryption != null ? ", encryption=" + encryption : "")
                + ", items=" + items + (drilled ? ", drill compared " + itemsCompared : "") + ", problems=" + problems
                + ", warnings=" + warnings + "]";
    }

    /** Builds a {@link VerifyReport}. Not thread-safe. */
    public static final class Builder {
        private String backupName;
        private SignatureStatus signature = SignatureStatus.NO_MANIFEST;
        private String signingKeyId;
        private String encryption;
        private long items;
        private long itemsCompared;
        private boolean drilled;
        private final List<String> problems = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();

        private Builder() {}

        public Builder backupName(String backupName) {
            this.backupName = backupName;
            return this;
        }

        /** The signature status and the key id that signed (null when unsigned). */
        public Builder signature(SignatureStatus signature, String keyId) {
            this.signature = signature;
            this.signingKeyId = keyId;
            return this;
        }

        public Builder encryption(String encryption) {
            this.encryption = encryption;
            return this;
        }

        public Builder items(long items) {
            this.items = items;
            return this;
        }

        /** Marks the report as a drill's, with the items it found equal. */
        public Builder drilled(long itemsCompared) {
            this.drilled = true;
            this.itemsCompared = itemsCompared;
            return this;
        }

        public Builder problem(String problem) {
            problems.add(problem);
            return this;
        }

        public Builder warning(String warning) {
            warnings.add(warning);
            return this;
        }

        public VerifyReport build() {
            return new VerifyReport(this);
        }
    }
}

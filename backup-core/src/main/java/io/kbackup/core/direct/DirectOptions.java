package io.kbackup.core.direct;

import io.kbackup.InvalidPlanException;
import io.kbackup.spi.StorageProviders;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning and wiring of the {@link DirectEngine}. Immutable; the defaults suit most clusters.
 *
 * <pre>{@code
 * DirectOptions options = DirectOptions.builder().pageSize(1000).listConcurrency(8).build();
 * }</pre>
 */
public final class DirectOptions {
    private final int pageSize;
    private final int listConcurrency;
    private final int restoreConcurrency;
    private final String maintenanceLabel;
    private final int maxRetries;
    private final Duration retryBaseDelay;
    private final long maxEntryBytes;
    private final long maxArchiveBytes;
    private final Duration crdEstablishTimeout;
    private final Clock clock;
    private final StorageProviders storageProviders;

    private DirectOptions(Builder b) {
        this.pageSize = b.pageSize;
        this.listConcurrency = b.listConcurrency;
        this.restoreConcurrency = b.restoreConcurrency;
        this.maintenanceLabel = b.maintenanceLabel;
        this.maxRetries = b.maxRetries;
        this.retryBaseDelay = b.retryBaseDelay;
        this.maxEntryBytes = b.maxEntryBytes;
        this.maxArchiveBytes = b.maxArchiveBytes;
        this.crdEstablishTimeout = b.crdEstablishTimeout;
        this.clock = b.clock;
        this.storageProviders = b.storageProviders;
    }

    /** The defaults. */
    public static DirectOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Items per list page. Default 500 (Velero's). */
    public int pageSize() {
        return pageSize;
    }

    /** Resource types listed at once during a backup. Default 4. */
    public int listConcurrency() {
        return listConcurrency;
    }

    /** Items created at once within one restore tier. Default 16. */
    public int restoreConcurrency() {
        return restoreConcurrency;
    }

    /**
     * Label that marks a node in maintenance mode (besides cordoning); nodes carrying it with any
     * value are skipped, with a warning. Default {@code kbackup.io/maintenance}.
     */
    public String maintenanceLabel() {
        return maintenanceLabel;
    }

    /** Retries of a transient API error (429, 5xx, timeout) before giving up. Default 5. */
    public int maxRetries() {
        return maxRetries;
    }

    /** First retry delay, doubled each time, with jitter. Default 200 ms. */
    public Duration retryBaseDelay() {
        return retryBaseDelay;
    }

    /** Largest archive entry a restore accepts. Default 64 MiB. */
    public long maxEntryBytes() {
        return maxEntryBytes;
    }

    /** Largest total uncompressed archive size a restore accepts. Default 64 GiB. */
    public long maxArchiveBytes() {
        return maxArchiveBytes;
    }

    /** How long a restore waits for restored CRDs to become Established. Default 60 s. */
    public Duration crdEstablishTimeout() {
        return crdEstablishTimeout;
    }

    /** The clock for timestamps and expiry. Default UTC system clock. */
    public Clock clock() {
        return clock;
    }

    /** Where storage providers come from. Default discovery through ServiceLoader. */
    public StorageProviders storageProviders() {
        return storageProviders;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.pageSize = pageSize;
        b.listConcurrency = listConcurrency;
        b.restoreConcurrency = restoreConcurrency;
        b.maintenanceLabel = maintenanceLabel;
        b.maxRetries = maxRetries;
        b.retryBaseDelay = retryBaseDelay;
        b.maxEntryBytes = maxEntryBytes;
        b.maxArchiveBytes = maxArchiveBytes;
        b.crdEstablishTimeout = crdEstablishTimeout;
        b.clock = clock;
        b.storageProviders = storageProviders;
        return b;
    }

    /** Builds {@link DirectOptions}. */
    public static final class Builder {
        private int pageSize = 500;
        private int listConcurrency = 4;
        private int restoreConcurrency = 16;
        private String maintenanceLabel = "kbackup.io/maintenance";
        private int maxRetries = 5;
        private Duration retryBaseDelay = Duration.ofMillis(200);
        private long maxEntryBytes = 64L << 20;
        private long maxArchiveBytes = 64L << 30;
        private Duration crdEstablishTimeout = Duration.ofSeconds(60);
        private Clock clock = Clock.systemUTC();
        private StorageProviders storageProviders = StorageProviders.discover();

        private Builder() {}

        public Builder pageSize(int pageSize) {
            this.pageSize = pageSize;
            return this;
        }

        public Builder listConcurrency(int n) {
            this.listConcurrency = n;
            return this;
        }

        public Builder restoreConcurrency(int n) {
            this.restoreConcurrency = n;
            return this;
        }

        public Builder maintenanceLabel(String label) {
            this.maintenanceLabel = Objects.requireNonNull(label, "maintenanceLabel");
            return this;
        }

        public Builder maxRetries(int n) {
            this.maxRetries = n;
            return this;
        }

        public Builder retryBaseDelay(Duration d) {
            this.retryBaseDelay = Objects.requireNonNull(d, "retryBaseDelay");
            return this;
        }

        public Builder maxEntryBytes(long n) {
            this.maxEntryBytes = n;
            return this;
        }

        public Builder maxArchiveBytes(long n) {
            this.maxArchiveBytes = n;
            return this;
        }

        public Builder crdEstablishTimeout(Duration d) {
            this.crdEstablishTimeout = Objects.requireNonNull(d, "crdEstablishTimeout");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder storageProviders(StorageProviders providers) {
            this.storageProviders = Objects.requireNonNull(providers, "storageProviders");
            return this;
        }

        /** Validates and builds. */
        public DirectOptions build() {
            if (pageSize < 1 || pageSize > 10_000) {
                throw new InvalidPlanException("DirectOptions pageSize must be 1..10000, was " + pageSize + ".");
            }
            if (listConcurrency < 1 || restoreConcurrency < 1) {
                throw new InvalidPlanException("DirectOptions concurrency must be at least 1.");
            }
            if (maxRetries < 0 || maxEntryBytes < 1 || maxArchiveBytes < 1) {
                throw new InvalidPlanException("DirectOptions maxRetries must be >= 0 and size limits positive.");
            }
            return new DirectOptions(this);
        }
    }
}

package io.kbackup;

/**
 * Whether (and how) the objects of each backup written to a {@link BackupLocation} are locked
 * against deletion and overwrite until the backup's expiry, so that a backup cannot be removed
 * early, not even with the location's own credentials (ransomware, a mistaken delete).
 *
 * <p>Maps to the store's own retention: S3 Object Lock (MinIO included) {@code GOVERNANCE} or
 * {@code COMPLIANCE} mode, Azure version-level immutability policies {@code Unlocked} or
 * {@code Locked}, GCS object retention {@code Unlocked} or {@code Locked}. The bucket must have
 * been made for it (S3: created with object lock enabled; Azure: a container with version-level
 * immutability support; GCS: a bucket with object retention enabled); {@link BackupLocation#validate()}
 * says when it was not.
 */
public enum ObjectLock {
    /** Objects are written without retention (the default, as Velero writes them). */
    NONE,
    /**
     * Retention that a principal with the special permission can still lift (S3
     * {@code s3:BypassGovernanceRetention}, an Azure {@code Unlocked} policy, a GCS
     * {@code Unlocked} retention). kbackup itself never lifts it.
     */
    GOVERNANCE,
    /**
     * Retention nobody can shorten or lift, not even the account's root user (S3 {@code COMPLIANCE},
     * Azure and GCS {@code Locked}). A backup written so stays until its expiry, whatever it costs.
     */
    COMPLIANCE
}

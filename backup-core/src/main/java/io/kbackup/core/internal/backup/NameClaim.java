package io.kbackup.core.internal.backup;

import io.kbackup.BackupInProgressException;
import io.kbackup.InvalidPlanException;
import io.kbackup.NotFoundException;
import io.kbackup.StorageException;
import io.kbackup.core.internal.layout.BackupClaim;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.spi.StorageProvider;
import java.util.Arrays;
import java.util.Optional;

/**
 * A backup run's exclusive hold on its name in a location: the {@link BackupClaim} blob created
 * with {@link StorageProvider#createIfAbsent} before anything else is written, and checked again
 * before the tarball is committed and before {@code velero-backup.json} is written. Of two writers
 * racing on one name (threads, engines, processes, replicas) exactly one gets the claim; the
 * other is refused before it writes anything.
 */
final class NameClaim {
    private static final int ATTEMPTS = 3;

    private final StorageProvider storage;
    private final String key;
    private final BackupClaim claim;
    private final byte[] bytes;

    private NameClaim(StorageProvider storage, String key, BackupClaim claim) {
        this.storage = storage;
        this.key = key;
        this.claim = claim;
        this.bytes = claim.toBytes();
    }

    /** The claim held. */
    BackupClaim claim() {
        return claim;
    }

    /**
     * Claims the name.
     *
     * @throws BackupInProgressException when another writer holds the name and has not finished
     * @throws InvalidPlanException      when a backup of that name exists (finished, or written without a claim)
     */
    static NameClaim acquire(StorageProvider storage, BucketLayout layout, BackupClaim claim, String locationName) {
        String name = claim.backupName();
        NameClaim held = new NameClaim(storage, layout.claim(name), claim);
        if (!held.create()) {
            if (storage.exists(layout.backupJson(name))) {
                throw exists(name, locationName);
            }
            String holder = readClaim(storage, held.key).map(c -> " (host " + c.host() + ", claimed at " + c.claimedAt() + ")").orElse("");
            throw new BackupInProgressException(name, "The backup name '" + name + "' in location '" + locationName
                    + "' is held by another backup being written" + holder + "; nothing was written. Wait for it to finish or"
                    + " use another name. If its writer is gone, deleteBackup removes its leftovers once the claim is older than"
                    + " the grace period (DirectOptions.unfinishedBackupGrace).");
        }
        // A folder that holds more than our claim: a backup written without one (by Velero, by an older version) or leftovers.
        if (storage.list(layout.backupDir(name), null, null, 2).blobs().size() > 1) {
            held.release();
            throw exists(name, locationName);
        }
        return held;
    }

    private static InvalidPlanException exists(String name, String locationName) {
        return new InvalidPlanException("A backup named '" + name + "' already exists in location '" + locationName
                + "'; choose another name or prefix, or delete that backup first.");
    }

    /** Gives the name up (a run that never started): deletes the claim when it is still ours. */
    void release() {
        if (isOurs()) {
            storage.delete(key);
        }
    }

    /**
     * The exclusive create, tried again after retryable failures; since a failed try may have
     * stored the claim after all, a later "already there" is read back and counts as ours when it
     * carries our claim id.
     */
    private boolean create() {
        boolean failedBefore = false;
        for (int attempt = 1; ; attempt++) {
            try {
                if (storage.createIfAbsent(key, bytes)) {
                    return true;
                }
                return failedBefore && isOurs();
            } catch (StorageException e) {
                if (!e.retryable() || attempt >= ATTEMPTS) {
                    throw e;
                }
                failedBefore = true;
                pause(attempt);
            }
        }
    }

    /**
     * Whether the name is still ours: the claim blob is there and carries our claim id. False when
     * it was deleted (its leftovers reclaimed as stale) or replaced by another writer's.
     *
     * @throws StorageException when the claim cannot be read (after retries)
     */
    boolean isOurs() {
        for (int attempt = 1; ; attempt++) {
            try {
                byte[] stored = storage.getBytes(key);
                return Arrays.equals(stored, bytes)
                        || BackupClaim.parse(stored).map(c -> c.claimId().equals(claim.claimId())).orElse(false);
            } catch (NotFoundException e) {
                return false;
            } catch (StorageException e) {
                if (!e.retryable() || attempt >= ATTEMPTS) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    /** The claim stored under {@code key}, or empty when there is none or it is unreadable. */
    static Optional<BackupClaim> readClaim(StorageProvider storage, String key) {
        try {
            return BackupClaim.parse(storage.getBytes(key));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(attempt == 1 ? 200 : 1000);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }
}

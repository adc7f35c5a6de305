package io.kbackup.core.internal.restore;

import com.fasterxml.jackson.databind.JsonNode;
import io.kbackup.BackupPhase;
import io.kbackup.CorruptBackupException;
import io.kbackup.InvalidPlanException;
import io.kbackup.NotFoundException;
import io.kbackup.RestorePlan;
import io.kbackup.StorageException;
import io.kbackup.core.internal.layout.ArchiveReader;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.layout.EntryPath;
import io.kbackup.core.internal.layout.GzipJson;
import io.kbackup.core.internal.layout.OperationResults;
import io.kbackup.core.internal.layout.VeleroPhases;
import io.kbackup.core.internal.trust.SealedBackup;
import io.kbackup.core.internal.trust.Trust;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The backup a restore reads, opened and checked: its {@code velero-backup.json} exists
 * ({@link NotFoundException}) and is in phase Completed or PartiallyFailed
 * ({@link InvalidPlanException}) and names this backup ({@link CorruptBackupException}); then its archive is read against its integrity manifest, when it
 * has one (Velero-written backups have none; a restore that requires one refuses the backup). Owns the open storage until {@link #close()}.
 *
 * @param storage    the location's storage
 * @param layout     the location's layout
 * @param backupName the backup
 * @param phase      the backup's phase (Completed or PartiallyFailed)
 * @param sealed     what its manifest vouches for (signature, encryption), checked when opened
 */
record RestoreSource(StorageProvider storage, BucketLayout layout, String backupName, BackupPhase phase, SealedBackup sealed)
        implements AutoCloseable {

    /** Opens the plan's location and checks the backup, with the default trust settings. */
    static RestoreSource open(StorageProviders providers, RestorePlan plan) {
        return open(providers, plan, Trust.defaults());
    }

    /**
     * Opens the plan's location and checks the backup: its document, then its manifest, signature
     * and (for an encrypted backup) data key.
     *
     * @throws io.kbackup.KeyUnavailableException when an encrypted backup's key is not available
     */
    static RestoreSource open(StorageProviders providers, RestorePlan plan, Trust trust) {
        StorageProvider storage = providers.open(plan.location());
        try {
            BucketLayout layout = new BucketLayout(plan.location());
            String backup = plan.backupName();
            String key = layout.backupJson(backup);
            if (!storage.exists(key)) {
                throw new NotFoundException(backup, "Backup '" + backup + "' is not in location '" + plan.location().name()
                        + "' (no " + key + "). List the backups there with BackupClient.listBackups(location).");
            }
            JsonNode doc;
            try {
                doc = RestoreJson.MAPPER.readTree(storage.getBytes(key));
            } catch (IOException e) {
                throw new CorruptBackupException(backup, "Backup '" + backup + "': velero-backup.json is not valid JSON ("
                        + e.getMessage() + "). Nothing was restored.", e);
            }
            String docName = doc.path("metadata").path("name").asText("");
            if (!docName.equals(backup)) {
                throw new CorruptBackupException(backup, "Backup '" + backup + "': its velero-backup.json names backup '"
                        + EntryPath.printable(docName) + "' (the folder was copied or renamed), as listing says. Nothing was restored.");
            }
            String phaseText = doc.path("status").path("phase").asText("");
            BackupPhase phase = VeleroPhases.backup(phaseText);
            if (phase == BackupPhase.UNKNOWN) {
                throw new InvalidPlanException("Backup '" + backup + "' has an unknown phase '" + EntryPath.printable(phaseText)
                        + "'; only Completed or PartiallyFailed backups can be restored.");
            }
            if (!phase.isRestorable()) {
                throw new InvalidPlanException("Backup '" + backup + "' is in phase " + phase.veleroName()
                        + "; only Completed or PartiallyFailed backups can be restored. Choose another backup"
                        + (phase.isTerminal() ? "." : ", or wait until this one has finished."));
            }
            boolean labelledEncrypted = doc.path("metadata").path("labels").has(io.kbackup.Encryption.LABEL);
            return new RestoreSource(storage, layout, backup, phase, SealedBackup.read(storage, layout, backup, labelledEncrypted, trust));
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    /** Whether a restore of this name has files in the location. */
    boolean restoreExists(String name) {
        return !storage.list(layout.restoreDir(name), null, null, 1).blobs().isEmpty();
    }

    /**
     * Reads and checks the whole archive into a local index ({@link ArchiveIndex}).
     *
     * @param requireManifest whether a backup without an integrity manifest is refused ({@link CorruptBackupException})
     */
    ArchiveIndex readArchive(ArchiveReader.Limits limits, boolean requireManifest, ArchiveIndex.Observer observer, LongConsumer bytes) {
        ArchiveReader.Expected expected = sealed.expected();
        if (expected == null && requireManifest) {
            throw new CorruptBackupException(backupName, "Backup '" + backupName + "' has no integrity manifest ("
                    + layout.manifest(backupName) + "), and this engine requires one (DirectOptions.requireManifest): its archive"
                    + " cannot be verified against a checksum. Nothing was restored. Restore a backup kbackup wrote, or turn the"
                    + " requirement off to restore one Velero wrote.");
        }
        String tarball = layout.tarball(backupName);
        if (!storage.exists(tarball)) {
            throw new CorruptBackupException(backupName, "Backup '" + backupName + "' has no archive (" + tarball
                    + "); it cannot be restored. Nothing was restored.");
        }
        try (InputStream in = storage.get(tarball)) {
            return ArchiveIndex.build(in, backupName, limits, expected, sealed.encrypted() ? stored -> sealed.plain(stored, tarball) : null,
                    Path.of(System.getProperty("java.io.tmpdir")), observer, bytes);
        } catch (IOException e) {
            throw new StorageException("Could not close the archive stream of backup '" + backupName + "': " + e.getMessage(), e, true);
        }
    }

    /**
     * What a PartiallyFailed backup lacks: the first errors of its results file, or an empty list
     * when there is none or it cannot be read (the warning then says so without them).
     */
    List<String> backupErrors(int max) {
        String key = layout.results(backupName);
        try (InputStream in = sealed.plain(storage.get(key), key)) {
            return OperationResults.messages(GzipJson.readGzipJson(in), "errors", max);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    @Override
    public void close() {
        storage.close();
    }
}

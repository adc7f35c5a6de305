package io.kbackup.core.internal.restore;

import com.fasterxml.jackson.databind.JsonNode;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.CorruptBackupException;
import io.kbackup.Encryption;
import io.kbackup.KeyUnavailableException;
import io.kbackup.NotFoundException;
import io.kbackup.StorageException;
import io.kbackup.VerifyReport;
import io.kbackup.core.internal.layout.ArchiveReader;
import io.kbackup.core.internal.layout.BackupManifest;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.layout.GzipJson;
import io.kbackup.core.internal.layout.VeleroPhases;
import io.kbackup.core.internal.trust.SealedBackup;
import io.kbackup.core.internal.trust.Trust;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code verify(location, backup)} without a cluster: the document and phase, the manifest and
 * its signature, the data key of an encrypted backup, the whole archive read through the restore's
 * own checks (and decrypted), the side files against the manifest's digests, and the item count and
 * resource list against the archive. Problems go into the report; only a missing backup or an
 * unreadable location throw. Thread-safe.
 */
public final class BackupVerifier {
    private static final int MAX_LISTED = 5;

    private final StorageProviders providers;
    private final Trust trust;
    private final ArchiveReader.Limits limits;

    public BackupVerifier(StorageProviders providers, Trust trust, ArchiveReader.Limits limits) {
        this.providers = providers;
        this.trust = trust;
        this.limits = limits;
    }

    /**
     * Verifies one backup.
     *
     * @throws NotFoundException when it is not in the location
     */
    public VerifyReport verify(BackupLocation location, String backup) {
        VerifyReport.Builder report = VerifyReport.builder().backupName(backup);
        BucketLayout layout = new BucketLayout(location);
        try (StorageProvider storage = providers.open(location)) {
            String docKey = layout.backupJson(backup);
            if (!storage.exists(docKey)) {
                throw new NotFoundException(backup, "Backup '" + backup + "' is not in location '" + location.name() + "' (no "
                        + docKey + ").");
            }
            JsonNode doc;
            try {
                doc = GzipJson.MAPPER.readTree(storage.getBytes(docKey));
            } catch (IOException e) {
                return report.problem("velero-backup.json is not valid JSON").build();
            }
            BackupPhase phase = VeleroPhases.backup(doc.path("status").path("phase").asText(null));
            if (!phase.isRestorable()) {
                report.problem("the backup is in phase " + phase + ": only Completed or PartiallyFailed backups can be restored");
            }
            boolean labelled = doc.path("metadata").path("labels").has(Encryption.LABEL);
            SealedBackup sealed;
            try {
                sealed = SealedBackup.read(storage, layout, backup, labelled, trust);
            } catch (CorruptBackupException | KeyUnavailableException e) {
                boolean signature = e.getMessage().contains("signature") || e.getMessage().contains("signed");
                return report.signature(signature ? VerifyReport.SignatureStatus.INVALID : VerifyReport.SignatureStatus.NO_MANIFEST, null)
                        .encryption(labelled ? Encryption.ALGORITHM : null).problem(e.getMessage()).build();
            }
            report.signature(sealed.signature(), sealed.signedBy());
            sealed.warnings().forEach(report::warning);
            BackupManifest manifest = sealed.manifest();
            if (manifest == null) {
                report.warning("the backup has no integrity manifest (Velero wrote it, or the manifest was deleted): its integrity"
                        + " cannot be proven, only its format checked");
            } else if (manifest.encryption() != null) {
                report.encryption(manifest.encryption().toString());
            }
            if (!phase.isRestorable()) {
                return report.build();
            }
            Set<String> archived = new TreeSet<>();
            long items = readArchive(storage, layout, backup, sealed, archived, report);
            report.items(items);
            if (items < 0) {
                return report.items(0).build();
            }
            if (manifest != null) {
                if (manifest.items() != items) {
                    report.problem("the manifest records " + manifest.items() + " items, the archive holds " + items);
                }
                checkSideFiles(storage, layout, backup, manifest, report);
            }
            long backedUp = doc.path("status").path("progress").path("itemsBackedUp").asLong(-1);
            if (backedUp >= 0 && backedUp != items) {
                report.problem("velero-backup.json says " + backedUp + " items were backed up, the archive holds " + items);
            }
            checkResourceList(storage, layout, backup, sealed, archived, report);
            return report.build();
        }
    }

    /** Reads the whole archive with the restore's checks; the items' {@code apiVersion/Kind ns/name}; -1 when it fails. */
    private long readArchive(StorageProvider storage, BucketLayout layout, String backup, SealedBackup sealed, Set<String> archived,
            VerifyReport.Builder report) {
        String tarball = layout.tarball(backup);
        if (!storage.exists(tarball)) {
            report.problem("the backup has no archive (" + tarball + ")");
            return -1;
        }
        long[] count = {0};
        try (InputStream in = storage.get(tarball)) {
            ArchiveReader.read(in, backup, limits, sealed.expected(), sealed.encrypted() ? stored -> sealed.plain(stored, tarball) : null,
                    (path, json, object) -> {
                        count[0]++;
                        archived.add(entry(object.path("apiVersion").asText(), object.path("kind").asText(), path.namespace(), path.name()));
                    }, n -> { });
            return count[0];
        } catch (CorruptBackupException e) {
            report.problem(e.getMessage());
            return -1;
        } catch (IOException e) {
            throw new StorageException("Could not read the archive of backup '" + backup + "': " + e.getMessage(), e, true);
        }
    }

    private static void checkSideFiles(StorageProvider storage, BucketLayout layout, String backup, BackupManifest manifest,
            VerifyReport.Builder report) {
        for (Map.Entry<String, BackupManifest.FileDigest> f : manifest.files().entrySet()) {
            String key = layout.backupDir(backup) + f.getKey();
            if (!storage.exists(key)) {
                report.problem("side file " + f.getKey() + " named by the manifest is missing");
                continue;
            }
            BackupManifest.FileDigest have = BackupManifest.FileDigest.of(storage.getBytes(key));
            if (!have.equals(f.getValue())) {
                report.problem("side file " + f.getKey() + " does not match the manifest (" + f.getValue().size() + " bytes, SHA-256 "
                        + f.getValue().sha256() + "; stored: " + have.size() + " bytes, SHA-256 " + have.sha256() + ")");
            }
        }
    }

    /** The resource list names the archive's items, no more and no fewer. */
    private static void checkResourceList(StorageProvider storage, BucketLayout layout, String backup, SealedBackup sealed,
            Set<String> archived, VerifyReport.Builder report) {
        String key = layout.resourceList(backup);
        if (!storage.exists(key)) {
            report.warning("the backup has no resource list (" + key + ") to compare with the archive");
            return;
        }
        Set<String> listed = new TreeSet<>();
        try (InputStream in = sealed.plain(storage.get(key), key)) {
            JsonNode list = GzipJson.readGzipJson(in);
            for (Iterator<Map.Entry<String, JsonNode>> it = list.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> type = it.next();
                int slash = type.getKey().lastIndexOf('/');
                for (JsonNode e : type.getValue()) {
                    String s = e.asText();
                    int at = s.indexOf('/');
                    listed.add(entry(type.getKey().substring(0, Math.max(slash, 0)), type.getKey().substring(slash + 1),
                            at < 0 ? null : s.substring(0, at), at < 0 ? s : s.substring(at + 1)));
                }
            }
        } catch (IOException | RuntimeException e) {
            report.problem("the resource list " + key + " cannot be read: " + e.getMessage());
            return;
        }
        List<String> missing = new ArrayList<>(archived);
        missing.removeAll(listed);
        List<String> extra = new ArrayList<>(listed);
        extra.removeAll(archived);
        if (!missing.isEmpty()) {
            report.problem(missing.size() + " archived item(s) are not in the resource list, e.g. " + first(missing));
        }
        if (!extra.isEmpty()) {
            report.problem(extra.size() + " item(s) of the resource list are not in the archive, e.g. " + first(extra));
        }
    }

    private static String entry(String apiVersion, String kind, String namespace, String name) {
        return apiVersion + "/" + kind + " " + (namespace == null ? name : namespace + "/" + name);
    }

    private static List<String> first(List<String> all) {
        return all.subList(0, Math.min(MAX_LISTED, all.size()));
    }
}

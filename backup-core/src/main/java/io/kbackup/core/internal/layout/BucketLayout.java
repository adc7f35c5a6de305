package io.kbackup.core.internal.layout;

import io.kbackup.BackupLocation;

/**
 * Velero's bucket layout ({@code pkg/persistence/object_store_layout.go}), the one copy both
 * engines use. All keys include the location's prefix. Never add a top-level folder other than
 * Velero's ({@code backups/ restores/ restic/ kopia/ metadata/ plugins/}).
 */
public final class BucketLayout {

    /** Our integrity manifest, inside the backup's folder (Velero ignores extra files there). */
    public static final String MANIFEST_FILE = "kbackup-manifest.json";
    /** The writer's claim on the backup name ({@link BackupClaim}), inside the backup's folder. */
    public static final String CLAIM_FILE = "kbackup-claim.json";
    /** Marks a backup folder being deleted ({@link #deleting(String)}). */
    public static final String DELETING_FILE = "kbackup-deleting";

    /**
     * A group member's record of its part in a group run (started, skipped and why, completed,
     * failed), inside the member's {@code backups/<run>/} folder; present even when the member was
     * skipped and has no backup of that run (Velero lists only folders with a
     * {@code velero-backup.json}).
     */
    public static final String GROUP_RECORD_FILE = "kbackup-group-run.json";

    /**
     * Our record of a backup that is running, inside its folder: a Backup document (as
     * {@code velero-backup.json}, phase {@code InProgress}) refreshed as the backup goes and
     * removed when it ends. Velero's sync ignores it: it reads only {@code velero-backup.json}.
     */
    public static final String PROGRESS_FILE = "kbackup-progress.json";

    /**
     * Our record of a restore, inside {@code restores/<name>/}: written at its start, refreshed as
     * it goes, and rewritten with the outcome at its end. Velero ignores it (it keeps no restore
     * document in the bucket, and deletes the whole folder with the restore).
     */
    public static final String RESTORE_RECORD_FILE = "kbackup-restore.json";

    private final String root;

    public BucketLayout(BackupLocation location) {
        this.root = location.keyPrefix();
    }

    /** {@code <prefix>/backups/}. */
    public String backupsPrefix() {
        return root + "backups/";
    }

    /** {@code <prefix>/restores/}. */
    public String restoresPrefix() {
        return root + "restores/";
    }

    /** {@code <prefix>/backups/<name>/}. */
    public String backupDir(String backup) {
        return backupsPrefix() + backup + "/";
    }

    public String backupJson(String backup) {
        return backupDir(backup) + "velero-backup.json";
    }

    public String tarball(String backup) {
        return backupDir(backup) + backup + ".tar.gz";
    }

    public String logs(String backup) {
        return backupDir(backup) + backup + "-logs.gz";
    }

    public String results(String backup) {
        return backupDir(backup) + backup + "-results.gz";
    }

    public String resourceList(String backup) {
        return backupDir(backup) + backup + "-resource-list.json.gz";
    }

    public String volumeSnapshots(String backup) {
        return backupDir(backup) + backup + "-volumesnapshots.json.gz";
    }

    public String podVolumeBackups(String backup) {
        return backupDir(backup) + backup + "-podvolumebackups.json.gz";
    }

    public String itemOperations(String backup) {
        return backupDir(backup) + backup + "-itemoperations.json.gz";
    }

    public String volumeInfo(String backup) {
        return backupDir(backup) + backup + "-volumeinfo.json.gz";
    }

    /** Legacy CSI files, read if present. */
    public String csiVolumeSnapshots(String backup) {
        return backupDir(backup) + backup + "-csi-volumesnapshots.json.gz";
    }

    public String csiVolumeSnapshotContents(String backup) {
        return backupDir(backup) + backup + "-csi-volumesnapshotcontents.json.gz";
    }

    public String csiVolumeSnapshotClasses(String backup) {
        return backupDir(backup) + backup + "-csi-volumesnapshotclasses.json.gz";
    }

    /** Our integrity manifest: SHA-256 and size of the tarball, item count. */
    public String manifest(String backup) {
        return backupDir(backup) + MANIFEST_FILE;
    }

    /** The claim on the name, written first (exclusively) by the backup that writes this folder. */
    public String claim(String backup) {
        return backupDir(backup) + CLAIM_FILE;
    }

    /** Marks a folder whose deletion has begun; written before {@code velero-backup.json} is deleted, deleted last. */
    public String deleting(String backup) {
        return backupDir(backup) + DELETING_FILE;
    }

    /** A group member's record of a group run; see {@link #GROUP_RECORD_FILE}. */
    public String groupRecord(String backup) {
        return backupDir(backup) + GROUP_RECORD_FILE;
    }

    /** Our record of a running backup ({@link #PROGRESS_FILE}). */
    public String progress(String backup) {
        return backupDir(backup) + PROGRESS_FILE;
    }

    /** Our record of a restore ({@link #RESTORE_RECORD_FILE}). */
    public String restoreRecord(String restore) {
        return restoreDir(restore) + RESTORE_RECORD_FILE;
    }

    /** The restore name of a key under {@link #restoresPrefix()}, or null. */
    public String restoreNameOf(String key) {
        return folderOf(restoresPrefix(), key);
    }

    /** {@code <prefix>/restores/<name>/}. */
    public String restoreDir(String restore) {
        return restoresPrefix() + restore + "/";
    }

    public String restoreLogs(String restore) {
        return restoreDir(restore) + "restore-" + restore + "-logs.gz";
    }

    public String restoreResults(String restore) {
        return restoreDir(restore) + "restore-" + restore + "-results.gz";
    }

    public String restoreResourceList(String restore) {
        return restoreDir(restore) + "restore-" + restore + "-resource-list.json.gz";
    }

    public String restoreItemOperations(String restore) {
        return restoreDir(restore) + "restore-" + restore + "-itemoperations.json.gz";
    }

    public String restoreVolumeInfo(String restore) {
        return restoreDir(restore) + restore + "-volumeinfo.json.gz";
    }

    /** The backup name of a key under {@link #backupsPrefix()}, or null. */
    public String backupNameOf(String key) {
        return folderOf(backupsPrefix(), key);
    }

    private static String folderOf(String prefix, String key) {
        if (!key.startsWith(prefix)) {
            return null;
        }
        String rest = key.substring(prefix.length());
        int slash = rest.indexOf('/');
        return slash <= 0 ? null : rest.substring(0, slash);
    }
}

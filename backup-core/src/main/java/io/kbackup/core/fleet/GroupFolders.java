package io.kbackup.core.fleet;

import io.kbackup.BackupClient;
import io.kbackup.BackupLocation;
import io.kbackup.NotFoundException;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A group's member folders in a shared location, read and cleaned up from the bucket alone (so
 * after any restart of the host), current and former members alike: the group's runs, their
 * deletion and the sweep of expired records. Thread-safe.
 */
final class GroupFolders {
    private final StorageProviders providers;
    private final String group;

    GroupFolders(StorageProviders providers, String group) {
        this.providers = providers;
        this.group = group;
    }

    /** The group's runs, newest first, each with every member's phase. */
    List<GroupRunInfo> list(BackupLocation shared) {
        try (StorageProvider storage = providers.open(shared)) {
            return GroupRecords.list(storage, shared, group, null);
        }
    }

    /** @throws NotFoundException when no member has a record of that run */
    GroupRunInfo describe(BackupLocation shared, String run) {
        try (StorageProvider storage = providers.open(shared)) {
            Map<String, MemberOutcome> found = new TreeMap<>();
            for (String member : GroupRecords.memberFolders(storage, shared)) {
                MemberOutcome o = GroupRecords.read(storage, new BucketLayout(GroupRecords.memberLocation(shared, member)), group, member, run);
                if (o != null) {
                    found.put(member, o);
                }
            }
            if (found.isEmpty()) {
                throw new NotFoundException(run, "No run '" + run + "' of group '" + group + "' in location '" + shared.name()
                        + "'; listGroupBackups shows the group's runs there.");
            }
            return GroupRunInfo.of(run, group, found);
        }
    }

    /** The folders of members not in {@code current} that hold a backup {@code backupName}. */
    List<String> formerMembersWith(BackupLocation shared, Collection<String> current, String backupName) {
        List<String> former = new ArrayList<>();
        try (StorageProvider storage = providers.open(shared)) {
            for (String folder : GroupRecords.memberFolders(storage, shared)) {
                if (!current.contains(folder)
                        && storage.exists(new BucketLayout(GroupRecords.memberLocation(shared, folder)).backupJson(backupName))) {
                    former.add(folder);
                }
            }
        }
        return former;
    }

    /**
     * Deletes a run everywhere: through {@code client} (a current member's engine, null for a
     * former member) where the member's backup exists, then whatever is left of the run in each
     * folder. Returns the folders that held something of it.
     */
    Set<String> delete(BackupLocation shared, String backupName, Function<String, BackupClient> client) {
        Set<String> deleted = new LinkedHashSet<>();
        try (StorageProvider storage = providers.open(shared)) {
            for (String folder : GroupRecords.memberFolders(storage, shared)) {
                BackupLocation own = GroupRecords.memberLocation(shared, folder);
                BucketLayout layout = new BucketLayout(own);
                BackupClient engine = client.apply(folder);
                if (engine != null && storage.exists(layout.backupJson(backupName))) {
                    try {
                        engine.deleteBackup(own, backupName);
                        deleted.add(folder);
                    } catch (NotFoundException e) {
                        // deleted meanwhile
                    }
                }
                List<String> left;
                try (Stream<BlobInfo> blobs = storage.listAll(layout.backupDir(backupName))) {
                    left = blobs.map(BlobInfo::key).toList();
                }
                if (!left.isEmpty()) {
                    storage.delete(layout.backupJson(backupName));
                    storage.deleteAll(left);
                    deleted.add(folder);
                }
            }
        }
        return deleted;
    }

    /** Deletes the records of members that never ran whose run expired by {@code now}; returns the runs concerned. */
    Set<String> sweepExpiredRecords(BackupLocation shared, Instant now) {
        Set<String> runs = new LinkedHashSet<>();
        try (StorageProvider storage = providers.open(shared)) {
            for (String folder : GroupRecords.memberFolders(storage, shared)) {
                BucketLayout layout = new BucketLayout(GroupRecords.memberLocation(shared, folder));
                for (String p : storage.listPrefixes(layout.backupsPrefix(), "/")) {
                    String run = layout.backupNameOf(p + "x");
                    if (run != null && GroupRecords.expiredRecordOnly(storage, layout, group, run, now)) {
                        storage.delete(layout.groupRecord(run));
                        runs.add(run);
                    }
                }
            }
        }
        return runs;
    }
}

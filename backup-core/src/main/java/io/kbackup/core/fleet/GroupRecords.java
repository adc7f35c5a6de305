package io.kbackup.core.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.CorruptBackupException;
import io.kbackup.KBackupException;
import io.kbackup.NotFoundException;
import io.kbackup.RestoreInfo;
import io.kbackup.core.internal.layout.BackupDocument;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.spi.StorageProvider;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes group-run records ({@link BucketLayout#GROUP_RECORD_FILE}) in the members'
 * folders of a shared location, and reads group runs back from them. The record is the only
 * memory of a group run: a host that restarts lists its runs from the bucket alone.
 *
 * <p>Record (compact JSON): {@code {"kind":"kbackup.io/GroupMemberRun","version":1,"group":g,
 * "run":name,"member":m,"phase":"COMPLETED","skipReason":null,"message":null,"started":iso,
 * "finished":iso,"expires":iso,"itemsTotal":n,"itemsDone":n,"errors":n,"warnings":n}}.
 */
final class GroupRecords {
    private static final Logger LOG = LoggerFactory.getLogger(GroupRecords.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String KIND = "kbackup.io/GroupMemberRun";
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private GroupRecords() {}

    /** A member's folder (a Velero root) in the shared location. */
    static BackupLocation memberLocation(BackupLocation shared, String member) {
        String prefix = shared.prefix().isEmpty() ? member : shared.prefix() + "/" + member;
        return shared.toBuilder().prefix(prefix).build();
    }

    static byte[] toJson(String group, String run, MemberOutcome o, Instant expires) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", KIND);
        n.put("version", 1);
        n.put("group", group);
        n.put("run", run);
        n.put("member", o.member());
        n.put("phase", o.phase().name());
        n.put("skipReason", o.skipReason() == null ? null : o.skipReason().name());
        n.put("message", o.message());
        n.put("started", o.started() == null ? null : o.started().toString());
        n.put("finished", o.finished() == null ? null : o.finished().toString());
        n.put("expires", expires == null ? null : expires.toString());
        n.put("itemsTotal", o.itemsTotal());
        n.put("itemsDone", o.itemsDone());
        n.put("errors", o.errors());
        n.put("warnings", o.warnings());
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A record read back. */
    record Record(String group, String run, MemberOutcome outcome, Instant expires) {}

    static Record parse(byte[] bytes, String key) {
        try {
            JsonNode n = JSON.readTree(bytes);
            if (!KIND.equals(n.path("kind").asText())) {
                throw new CorruptBackupException(key, key + " is not a group-run record (kind " + n.path("kind").asText() + ").");
            }
            MemberOutcome o = new MemberOutcome(n.path("member").asText(), MemberPhase.valueOf(n.path("phase").asText()),
                    n.path("skipReason").isTextual() ? SkipReason.valueOf(n.path("skipReason").asText()) : null,
                    text(n, "message"), instant(n, "started"), instant(n, "finished"), n.path("itemsTotal").asLong(),
                    n.path("itemsDone").asLong(), n.path("errors").asInt(), n.path("warnings").asInt());
            return new Record(n.path("group").asText(), n.path("run").asText(), o, instant(n, "expires"));
        } catch (IOException | IllegalArgumentException e) {
            throw new CorruptBackupException(key, "Group-run record " + key + " cannot be read: " + e.getMessage());
        }
    }

    private static String text(JsonNode n, String field) {
        return n.path(field).isTextual() ? n.path(field).asText() : null;
    }

    private static Instant instant(JsonNode n, String field) {
        return n.path(field).isTextual() ? Instant.parse(n.path(field).asText()) : null;
    }

    /** Writes a member's record; a failure is logged, never thrown (the member's backup goes on). */
    static void write(StorageProvider storage, BackupLocation shared, String group, String run, MemberOutcome o, Instant expires) {
        String key = new BucketLayout(memberLocation(shared, o.member())).groupRecord(run);
        try {
            storage.put(key, toJson(group, run, o, expires));
        } catch (KBackupException e) {
            LOG.warn("Group {} run {}: could not record member {} as {}: {}", group, run, o.member(), o.phase(), e.getMessage());
        }
    }

    /**
     * Writes the record of a member that never started (skipped, refused) only where its folder
     * has nothing yet: a refused member's folder may hold another backup of that name.
     */
    static void writeIfAbsent(StorageProvider storage, BackupLocation shared, String group, String run, MemberOutcome o,
                              Instant expires) {
        BucketLayout layout = new BucketLayout(memberLocation(shared, o.member()));
        try {
            if (!storage.list(layout.backupDir(run), null, null, 1).blobs().isEmpty()) {
                return;
            }
            storage.createIfAbsent(layout.groupRecord(run), toJson(group, run, o, expires));
        } catch (KBackupException e) {
            LOG.warn("Group {} run {}: could not record member {} as {}: {}", group, run, o.member(), o.phase(), e.getMessage());
        }
    }

    /** The member folders in the shared location (member names, current or former). */
    static List<String> memberFolders(StorageProvider storage, BackupLocation shared) {
        String root = shared.keyPrefix();
        List<String> out = new ArrayList<>();
        for (String p : storage.listPrefixes(root, "/")) {
            String folder = p.substring(root.length()).replaceAll("/$", "");
            if (DNS_LABEL.matcher(folder).matches()) {
                out.add(folder);
            }
        }
        return out;
    }

    /**
     * The group's runs recorded in the members' folders, newest first: every {@code backups/<run>/}
     * holding a record of this group. A record still saying {@link MemberPhase#STARTED} is checked
     * against the member's {@code velero-backup.json}: a finished backup there gives the final
     * phase (the host stopped before it recorded the end).
     */
    static List<GroupRunInfo> list(StorageProvider storage, BackupLocation shared, String group, Pattern runName) {
        Map<String, Map<String, MemberOutcome>> runs = new TreeMap<>(Comparator.reverseOrder());
        for (String member : memberFolders(storage, shared)) {
            BucketLayout layout = new BucketLayout(memberLocation(shared, member));
            for (String p : storage.listPrefixes(layout.backupsPrefix(), "/")) {
                String run = layout.backupNameOf(p + "x");
                if (run == null || (runName != null && !runName.matcher(run).matches())) {
                    continue;
                }
                MemberOutcome o = read(storage, layout, group, member, run);
                if (o != null) {
                    runs.computeIfAbsent(run, k -> new TreeMap<>()).put(member, o);
                }
            }
        }
        List<GroupRunInfo> out = new ArrayList<>();
        runs.forEach((run, members) -> out.add(GroupRunInfo.of(run, group, members)));
        out.sort(Comparator.comparing(GroupRunInfo::started, Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
                .thenComparing(GroupRunInfo::name, Comparator.reverseOrder()));
        return out;
    }

    /** One member's outcome of a run, or null when the member has no record of this group for it. */
    static MemberOutcome read(StorageProvider storage, BucketLayout layout, String group, String member, String run) {
        String key = layout.groupRecord(run);
        Record r;
        try {
            r = parse(storage.getBytes(key), key);
        } catch (NotFoundException e) {
            return null;
        } catch (CorruptBackupException e) {
            LOG.warn("Skipping {}", e.getMessage());
            return null;
        }
        if (!group.equals(r.group()) || !run.equals(r.run())) {
            return null;
        }
        MemberOutcome o = r.outcome();
        if (o.phase().isTerminal()) {
            return o;
        }
        // the record was written before the end: the backup document knows better, if there is one
        try {
            BackupInfo b = BackupDocument.parse(run, storage.getBytes(layout.backupJson(run)));
            return fromBackup(member, o.started(), b, b.completed());
        } catch (NotFoundException | CorruptBackupException e) {
            return o;
        }
    }

    /** Whether {@code backups/<run>/} holds only this group's record of a member that never ran, expired by {@code now}. */
    static boolean expiredRecordOnly(StorageProvider storage, BucketLayout layout, String group, String run, Instant now) {
        if (storage.exists(layout.backupJson(run))) {
            return false;
        }
        String key = layout.groupRecord(run);
        try {
            Record r = parse(storage.getBytes(key), key);
            MemberPhase phase = r.outcome().phase();
            return group.equals(r.group()) && (phase == MemberPhase.SKIPPED || phase == MemberPhase.FAILED)
                    && r.expires() != null && !r.expires().isAfter(now);
        } catch (NotFoundException | CorruptBackupException e) {
            return false;
        }
    }

    /** A member's outcome from its backup's details. */
    static MemberOutcome fromBackup(String member, Instant started, BackupInfo b, Instant at) {
        MemberPhase phase = switch (b.phase()) {
            case COMPLETED -> MemberPhase.COMPLETED;
            case PARTIALLY_FAILED -> MemberPhase.PARTIALLY_FAILED;
            case FAILED, FAILED_VALIDATION -> MemberPhase.FAILED;
            default -> MemberPhase.STARTED;
        };
        return new MemberOutcome(member, phase, null, b.failureReason(), started != null ? started : b.started(),
                phase.isTerminal() ? (b.completed() != null ? b.completed() : at) : null, b.itemsTotal(), b.itemsBackedUp(),
                b.errors(), b.warnings());
    }

    /** A member restore's outcome, as a group run reports it. */
    static MemberOutcome fromRestore(String member, Instant started, RestoreInfo r, Instant at) {
        MemberPhase phase = switch (r.phase()) {
            case COMPLETED -> MemberPhase.COMPLETED;
            case PARTIALLY_FAILED -> MemberPhase.PARTIALLY_FAILED;
            default -> r.phase().isTerminal() ? MemberPhase.FAILED : MemberPhase.STARTED;
        };
        return new MemberOutcome(member, phase, null, r.failureReason(), started, r.completed() != null ? r.completed() : at,
                r.itemsTotal(), r.itemsRestored(), r.errors().size(), r.warnings().size());
    }
}

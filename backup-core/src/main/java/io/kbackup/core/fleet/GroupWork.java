package io.kbackup.core.fleet;

import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPlan;
import io.kbackup.NotFoundException;
import io.kbackup.RestoreHandle;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePlan;
import io.kbackup.Schedule;
import io.kbackup.spi.StorageProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BiConsumer;

/** What a group run does on each member: a backup into its folder, or a restore from it. */
final class GroupWork {
    private GroupWork() {}

    /**
     * Backs up {@code plan} on each member as the run {@code run}, into the member's folder of
     * {@code shared}, labelled with {@code labels}; records each outcome in that folder (the
     * {@code storage} is closed when the run ends).
     */
    static GroupRun.Work<BackupHandle, BackupInfo> backup(Map<String, GroupMember> members, Duration healthTimeout, BackupPlan plan,
            String group, String run, Map<String, String> labels, Instant expires, StorageProvider storage) {
        BackupLocation shared = plan.location();
        return new GroupRun.Work<>() {
            @Override
            public BackupHandle start(String member, Instant at) {
                GroupMember m = members.get(member);
                m.requireReady(member, healthTimeout);
                BackupPlan own = plan.toBuilder().schedule(Schedule.never()).prefix(null).name(run).labels(labels)
                        .location(GroupRecords.memberLocation(shared, member)).build();
                return m.client().backup(own);
            }

            @Override
            public MemberOutcome finished(String member, Instant started, BackupInfo info, Instant at) {
                return GroupRecords.fromBackup(member, started, info, at);
            }

            @Override
            public void record(String member, MemberOutcome outcome, boolean ran) {
                if (ran) {
                    GroupRecords.write(storage, shared, group, run, outcome, expires);
                } else {
                    GroupRecords.writeIfAbsent(storage, shared, group, run, outcome, expires);
                }
            }

            @Override
            public void done() {
                storage.close();
            }
        };
    }

    /**
     * Restores {@code plan} on each member as {@code restoreName}, from the member's folder, changed
     * for a member by {@code perMember} if given; a member without the backup is skipped.
     */
    static GroupRun.Work<RestoreHandle, RestoreInfo> restore(Map<String, GroupMember> members, Duration healthTimeout, RestorePlan plan,
            String restoreName, BiConsumer<String, RestorePlan.Builder> perMember) {
        return new GroupRun.Work<>() {
            @Override
            public RestoreHandle start(String member, Instant at) {
                GroupMember m = members.get(member);
                m.requireReady(member, healthTimeout);
                RestorePlan.Builder b = plan.toBuilder().restoreName(restoreName).location(GroupRecords.memberLocation(plan.location(), member));
                if (perMember != null) {
                    perMember.accept(member, b);
                }
                try {
                    return m.client().restore(b.build());
                } catch (NotFoundException e) {
                    throw new GroupRun.Skip(SkipReason.NO_BACKUP, "no backup '" + plan.backupName() + "' in this member's folder: "
                            + e.getMessage());
                }
            }

            @Override
            public MemberOutcome finished(String member, Instant started, RestoreInfo r, Instant at) {
                return GroupRecords.fromRestore(member, started, r, at);
            }

            @Override
            public void record(String member, MemberOutcome outcome, boolean ran) {
                // restores are recorded by the engines under each member's restores/ folder
            }

            @Override
            public void done() {}
        };
    }
}

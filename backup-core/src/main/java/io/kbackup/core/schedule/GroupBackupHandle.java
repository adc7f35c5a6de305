package io.kbackup.core.schedule;

import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.KBackupException;
import io.kbackup.OperationListener;
import io.kbackup.Progress;
import io.kbackup.core.fleet.GroupPhase;
import io.kbackup.core.fleet.GroupRun;
import io.kbackup.core.fleet.GroupRunInfo;
import io.kbackup.core.fleet.MemberOutcome;
import io.kbackup.core.fleet.MemberPhase;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** A group run seen as one backup by the scheduler: its name, phase, item progress and end. */
final class GroupBackupHandle implements BackupHandle {
    private final GroupRun<?, ?> run;
    private final Map<OperationListener<? super BackupPhase, ? super BackupInfo>, OperationListener<GroupPhase, GroupRunInfo>> adapters =
            new ConcurrentHashMap<>();

    GroupBackupHandle(GroupRun<?, ?> run) {
        this.run = run;
    }

    /**
     * Told the group run's phases, progress, members' item errors and end, as those of one backup
     * (see {@link GroupRun#addListener}).
     */
    @Override
    public void addListener(OperationListener<? super BackupPhase, ? super BackupInfo> listener) {
        run.addListener(adapters.computeIfAbsent(listener, GroupBackupHandle::asGroupListener));
    }

    @Override
    public void removeListener(OperationListener<? super BackupPhase, ? super BackupInfo> listener) {
        OperationListener<GroupPhase, GroupRunInfo> adapter = adapters.remove(listener);
        if (adapter != null) {
            run.removeListener(adapter);
        }
    }

    private static OperationListener<GroupPhase, GroupRunInfo> asGroupListener(OperationListener<? super BackupPhase, ? super BackupInfo> listener) {
        return new OperationListener<>() {
            @Override
            public void onPhase(String operation, GroupPhase phase) {
                listener.onPhase(operation, GroupPlans.phaseOf(phase));
            }

            @Override
            public void onProgress(String operation, Progress progress) {
                listener.onProgress(operation, progress);
            }

            @Override
            public void onItemError(String operation, String namespace, String message) {
                listener.onItemError(operation, namespace, message);
            }

            @Override
            public void onEnd(String operation, GroupRunInfo info, KBackupException error) {
                listener.onEnd(operation, info == null ? null : summary(info), error);
            }
        };
    }

    @Override
    public String name() {
        return run.name();
    }

    @Override
    public BackupPhase phase() {
        return GroupPlans.phaseOf(run.phase());
    }

    @Override
    public Progress progress() {
        return run.progress();
    }

    @Override
    public BackupInfo await(Duration timeout) {
        return summary(run.await(timeout));
    }

    @Override
    public CompletableFuture<BackupInfo> completion() {
        return run.completion().thenApply(GroupBackupHandle::summary);
    }

    @Override
    public void cancel() {
        run.cancel();
    }

    /** The run as one backup; the failure reason names the members that did not complete. */
    static BackupInfo summary(GroupRunInfo info) {
        String notDone = info.members().values().stream().filter(m -> m.phase() != MemberPhase.COMPLETED)
                .map(GroupBackupHandle::describe).collect(Collectors.joining("; "));
        return GroupPlans.asBackup(info).toBuilder()
                .failureReason(notDone.isEmpty() ? null : info.membersDone() + " of " + info.membersTotal() + " members ended; not completed: " + notDone)
                .errors((int) info.members().values().stream().filter(m -> m.phase() != MemberPhase.COMPLETED).count())
                .build();
    }

    private static String describe(MemberOutcome m) {
        return m.member() + " " + m.phase() + (m.skipReason() != null ? " (" + m.skipReason() + ")" : "");
    }
}

package io.kbackup.core.schedule;

import io.kbackup.BackupHandle;
import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.OperationListener;
import io.kbackup.Progress;
import io.kbackup.core.fleet.GroupRun;
import io.kbackup.core.fleet.GroupRunInfo;
import io.kbackup.core.fleet.MemberOutcome;
import io.kbackup.core.fleet.MemberPhase;
import io.kbackup.core.internal.EndListeners;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/** A group run seen as one backup by the scheduler: its name, phase, item progress and end. */
final class GroupBackupHandle implements BackupHandle {
    private final GroupRun<?, ?> run;
    private final EndListeners<BackupPhase, BackupInfo> listeners;

    GroupBackupHandle(GroupRun<?, ?> run) {
        this.run = run;
        this.listeners = new EndListeners<>("backup " + run.name(), completion());
    }

    /** Told of the group run's end, as one backup; each member's own handle tells its phases and progress. */
    @Override
    public void addListener(OperationListener<? super BackupPhase, ? super BackupInfo> listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(OperationListener<? super BackupPhase, ? super BackupInfo> listener) {
        listeners.remove(listener);
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

package io.kbackup.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.CorruptBackupException;
import io.kbackup.KBackupException;
import io.kbackup.OperationListener;
import io.kbackup.Progress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Listeners on a handle: what they hear, in which order, and that they cannot break the operation. */
class TrackedOperationTest {

    /** Writes down every call. */
    static final class Recorder implements OperationListener<BackupPhase, BackupInfo> {
        final List<String> calls = new ArrayList<>();

        @Override
        public void onPhase(String operation, BackupPhase phase) {
            calls.add("phase " + phase);
        }

        @Override
        public void onProgress(String operation, Progress progress) {
            calls.add("progress " + progress.itemsDone() + "/" + progress.itemsTotal());
        }

        @Override
        public void onItemError(String operation, String namespace, String message) {
            calls.add("error " + namespace + " " + message);
        }

        @Override
        public void onEnd(String operation, BackupInfo info, KBackupException error) {
            calls.add("end " + operation + " " + (info != null ? info.phase() : error.getClass().getSimpleName()));
        }
    }

    private final TrackedOperation.Backup op = new TrackedOperation.Backup("b1");
    private final Recorder r = new Recorder();

    @Test
    void listenersHearPhaseChangesOnceItemErrorsAndTheEndOnceWithTheFinalProgress() {
        op.addListener(r);
        op.addListener(r);

        op.phase(BackupPhase.IN_PROGRESS);
        op.phase(BackupPhase.IN_PROGRESS);
        op.addTotal(2);
        op.addDone(2);
        op.itemError("shop", "could not list pods");
        op.complete(BackupInfo.builder().name("b1").phase(BackupPhase.PARTIALLY_FAILED).build());
        op.complete(BackupInfo.builder().name("b1").phase(BackupPhase.COMPLETED).build());

        assertThat(r.calls).containsExactly("phase IN_PROGRESS", "error shop could not list pods", "progress 2/2",
                "end b1 PARTIALLY_FAILED");
    }

    @Test
    void progressIsToldAtMostAboutOnceASecond() {
        op.addListener(r);
        for (int i = 0; i < 10_000; i++) {
            op.addDone(1);
        }
        assertThat(r.calls.stream().filter(c -> c.startsWith("progress"))).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void aListenerAddedAfterTheEndHearsTheEndAtOnceWithTheError() {
        op.completeExceptionally(new CorruptBackupException("b1", "damaged"));
        Recorder late = new Recorder();
        op.addListener(late);
        assertThat(late.calls).containsExactly("end b1 CorruptBackupException");
    }

    @Test
    void aFailingListenerDoesNotStopTheOthersNorTheOperation() {
        op.addListener(new OperationListener<BackupPhase, BackupInfo>() {
            @Override
            public void onPhase(String operation, BackupPhase phase) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onEnd(String operation, BackupInfo info, KBackupException error) {
                throw new IllegalStateException("listener bug");
            }
        });
        op.addListener(r);
        op.phase(BackupPhase.IN_PROGRESS);
        op.complete(BackupInfo.builder().name("b1").phase(BackupPhase.COMPLETED).build());

        assertThat(op.completion()).isCompletedWithValueMatching(i -> i.phase() == BackupPhase.COMPLETED);
        assertThat(r.calls).contains("phase IN_PROGRESS", "end b1 COMPLETED");
    }

    @Test
    void aRemovedListenerHearsNothingMore() {
        op.addListener(r);
        op.removeListener(r);
        op.phase(BackupPhase.IN_PROGRESS);
        assertThat(r.calls).isEmpty();
    }
}

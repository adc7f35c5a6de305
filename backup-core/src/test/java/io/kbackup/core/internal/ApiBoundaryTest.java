package io.kbackup.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kbackup.ClientClosedException;
import io.kbackup.ClusterRefusedException;
import io.kbackup.InternalErrorException;
import io.kbackup.InvalidPlanException;
import io.kbackup.LocalIoException;
import io.kbackup.OperationTimeoutException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class ApiBoundaryTest {

    @Test
    void kbackupExceptionsPassUnchanged() {
        InvalidPlanException e = new InvalidPlanException("bad");
        assertThat(ApiBoundary.translate("backup", e)).isSameAs(e);
    }

    @Test
    void aRefusedKubernetesRequestIsClusterRefusedWithItsStatus() {
        RuntimeException wrapped = new IllegalStateException("could not list", new KubernetesClientException("forbidden", 403, null));
        assertThat(ApiBoundary.translate("backup", wrapped)).isInstanceOf(ClusterRefusedException.class)
                .hasMessageContaining("backup failed").hasMessageContaining("403")
                .satisfies(e -> assertThat(((ClusterRefusedException) e).statusCode()).isEqualTo(403))
                .satisfies(e -> assertThat(((ClusterRefusedException) e).retryable()).isFalse());
    }

    @Test
    void workRefusedByAShutDownPoolIsClientClosed() {
        assertThat(ApiBoundary.translate("restore", new RejectedExecutionException("shut down")))
                .isInstanceOf(ClientClosedException.class).hasMessageContaining("restore failed");
    }

    @Test
    void aLocalIoFailureIsLocalIo() {
        assertThat(ApiBoundary.translate("preview", new UncheckedIOException("cannot create the spool", new IOException("disk full"))))
                .isInstanceOf(LocalIoException.class).hasMessageContaining("cannot create the spool");
    }

    @Test
    void anInterruptedWaitIsAnOperationTimeout() {
        assertThat(ApiBoundary.translate("preview", new IllegalStateException("interrupted", new InterruptedException())))
                .isInstanceOf(OperationTimeoutException.class).hasMessageContaining("preview was interrupted");
    }

    @Test
    void anythingElseIsAnInternalErrorNamingTheCause() {
        assertThatThrownBy(() -> ApiBoundary.call("describeBackup", () -> {
            throw new IllegalStateException("unexpected state");
        })).isInstanceOf(InternalErrorException.class).hasMessageContaining("describeBackup").hasMessageContaining("unexpected state");
    }
}

package io.kbackup.core.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.ClientClosedException;
import io.kbackup.ClusterRefusedException;
import io.kbackup.LocalIoException;
import io.kbackup.RestorePlan;
import io.kbackup.StorageException;
import io.kbackup.core.KBackup;
import io.kbackup.core.storage.LocalFolderStorageFactory;
import io.kbackup.spi.StorageProviderFactory;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.storage.WrappedStorageFactory;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every failure that leaves the engine's public methods is a typed KBackupException. */
class DirectEngineBoundaryTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    static EmbeddedCluster cluster;
    static KubernetesClient client;

    @TempDir
    static Path folder;
    static BackupLocation location;

    @BeforeAll
    static void backupToPreview() {
        cluster = EmbeddedCluster.start();
        cluster.seed(Stream.of(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build(),
                new ConfigMapBuilder().withNewMetadata().withNamespace("shop").withName("settings").endMetadata()
                        .addToData("k", "v").build()));
        client = cluster.client();
        location = BackupLocation.localFolder(folder).build();
        try (DirectEngine engine = KBackup.direct(client)) {
            assertThat(engine.backup(BackupPlan.builder().name("b1").location(location).includedNamespaces("shop").build())
                    .await(WAIT).phase()).isEqualTo(BackupPhase.COMPLETED);
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void callsOnAClosedEngineAreClientClosed() {
        DirectEngine engine = KBackup.direct(client);
        engine.close();
        RestorePlan restore = RestorePlan.builder().location(location).backupName("b1").build();

        assertThatThrownBy(() -> engine.backup(BackupPlan.builder().name("late").location(location).build()))
                .isInstanceOf(ClientClosedException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> engine.restore(restore)).isInstanceOf(ClientClosedException.class);
        assertThatThrownBy(() -> engine.preview(restore)).isInstanceOf(ClientClosedException.class);
    }

    @Test
    void aBackupTheApiServerCannotAnswerIsClusterRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + port)
                .withRequestRetryBackoffLimit(0).build();
        try (KubernetesClient down = new KubernetesClientBuilder().withConfig(config).build();
                DirectEngine engine = KBackup.direct(down, DirectOptions.builder().maxRetries(0).build())) {
            // include all disks asks the cluster about its snapshot API before backup() returns
            BackupPlan plan = BackupPlan.builder().name("disks").location(location).includeAllDisks(true).build();

            assertThatThrownBy(() -> engine.backup(plan)).isInstanceOf(ClusterRefusedException.class)
                    .hasMessageContaining("nothing was created");
        }
    }

    @Test
    void aPreviewWhoseSpoolFileCannotBeCreatedIsLocalIo() {
        String tmp = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", folder.resolve("no-such-directory").toString());
        try (DirectEngine engine = KBackup.direct(client)) {
            assertThatThrownBy(() -> engine.preview(RestorePlan.builder().location(location).backupName("b1").build()))
                    .isInstanceOf(LocalIoException.class).hasMessageContaining("preview failed")
                    .hasMessageContaining("no-such-directory");
        } finally {
            System.setProperty("java.io.tmpdir", tmp);
        }
    }

    @Test
    void aPreviewWhoseArchiveReadBreaksOffIsAStorageFailure() {
        StorageProviders providers = StorageProviders.discover().with(brokenArchiveReads());
        try (DirectEngine engine = KBackup.direct(client, DirectOptions.builder().storageProviders(providers).build())) {
            assertThatThrownBy(() -> engine.preview(RestorePlan.builder().location(location).backupName("b1").build()))
                    .isInstanceOf(StorageException.class).hasMessageContaining("archive of backup 'b1'")
                    .hasMessageContaining("connection reset")
                    .satisfies(e -> assertThat(((StorageException) e).retryable()).isTrue());
        }
    }

    /** The local-folder provider, except that reading a tarball fails with an IOException after 10 bytes. */
    private static StorageProviderFactory brokenArchiveReads() {
        return WrappedStorageFactory.of(new LocalFolderStorageFactory(),
                WrappedStorageFactory.mapGets((key, in) -> key.endsWith(".tar.gz") ? breaksAfter(in, 10) : in));
    }

    private static InputStream breaksAfter(InputStream in, int bytes) {
        return new FilterInputStream(in) {
            private int left = bytes;

            @Override
            public int read() throws IOException {
                check();
                left--;
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                check();
                int n = super.read(b, off, Math.min(len, left));
                left -= Math.max(n, 0);
                return n;
            }

            private void check() throws IOException {
                if (left <= 0) {
                    throw new IOException("connection reset");
                }
            }
        };
    }
}

package io.kbackup.core.internal.backup;

import static io.kbackup.core.internal.backup.BackupFixture.configMap;
import static io.kbackup.core.internal.backup.BackupFixture.namespace;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupLocation;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.core.storage.LocalFolderStorageFactory;
import io.kbackup.spi.StorageProviderFactory;
import io.kbackup.testkit.cluster.TestCluster;
import io.kbackup.testkit.storage.FaultInjectingStorageProvider;
import io.kbackup.testkit.storage.WrappedStorageFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup tests on one cluster per class (a subclass's {@code @BeforeAll} starts it and seeds it,
 * e.g. with {@link #seedBulk}; the tests only read it), each test behind its own {@link ApiProxy}
 * (to inject API faults and delays) and backing up into a local folder of its own.
 */
abstract class ProxiedBulkCluster {
    static final Duration WAIT = Duration.ofSeconds(60);

    /** The class's cluster. */
    static TestCluster cluster;

    @TempDir
    Path folder;
    ApiProxy proxy;
    KubernetesClient client;
    BackupLocation location;

    /** Seeds the cluster with namespace {@code bulk} holding {@code configMaps} config maps {@code cm-000}, ... */
    static void seedBulk(int configMaps) {
        cluster.seed(Stream.concat(Stream.of(namespace("bulk")),
                IntStream.range(0, configMaps).mapToObj(i -> configMap("bulk", String.format("cm-%03d", i), Map.of()))));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void start() throws Exception {
        proxy = new ApiProxy(cluster);
        client = proxy.client();
        location = BackupLocation.localFolder(folder).build();
    }

    @AfterEach
    void stop() {
        client.close();
        proxy.close();
    }

    /** An engine through the proxy, retrying after 10 ms, with {@code options} on top. */
    DirectEngine engine(Consumer<DirectOptions.Builder> options) {
        DirectOptions.Builder b = DirectOptions.builder().retryBaseDelay(Duration.ofMillis(10));
        options.accept(b);
        return KBackup.direct(client, b.build());
    }

    /** The local folder provider wrapped in a {@link FaultInjectingStorageProvider} that {@code faults} configures. */
    static StorageProviderFactory faultyLocal(Consumer<FaultInjectingStorageProvider> faults) {
        return WrappedStorageFactory.of(new LocalFolderStorageFactory(), p -> {
            FaultInjectingStorageProvider faulty = FaultInjectingStorageProvider.wrap(p);
            faults.accept(faulty);
            return faulty;
        });
    }
}

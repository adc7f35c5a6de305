package io.kbackup.storage.azure;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.BlobServiceVersion;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.storage.StorageProviderContract;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The storage contract against Microsoft's Azurite image, where Docker is available (skipped
 * without Docker). The version matches the npm copy in {@code .ci/azurite}.
 */
@Testcontainers(disabledWithoutDocker = true)
class AzuriteContainerContractIT extends StorageProviderContract {

    private static final String CONTAINER = "contract";

    @Container
    @SuppressWarnings("resource")
    static final GenericContainer<?> AZURITE = new GenericContainer<>("mcr.microsoft.com/azure-storage/azurite:3.35.0")
            .withCommand("azurite-blob", "--blobHost", "0.0.0.0", "--blobPort", "10000", "--inMemoryPersistence",
                    "--skipApiVersionCheck")
            .withExposedPorts(10000)
            .waitingFor(Wait.forListeningPort());

    private static String endpoint() {
        return "http://" + AZURITE.getHost() + ":" + AZURITE.getMappedPort(10000) + "/" + Azurite.ACCOUNT;
    }

    @BeforeAll
    static void createContainer() {
        new BlobServiceClientBuilder().endpoint(endpoint())
                .credential(new StorageSharedKeyCredential(Azurite.ACCOUNT, Azurite.KEY))
                .serviceVersion(BlobServiceVersion.V2025_11_05)
                .httpClient(new JdkHttpClientBuilder().build())
                .buildClient()
                .createBlobContainerIfNotExists(CONTAINER);
    }

    private static StorageProvider open(String container) {
        return StorageProviders.discover().open(BackupLocation.builder().provider("azure").bucket(container)
                .endpoint(endpoint())
                .credentials(Credentials.azureAccountKey(Azurite.ACCOUNT, Azurite.KEY))
                .build());
    }

    @Override
    protected StorageProvider createProvider() {
        return open(CONTAINER);
    }

    @Override
    protected StorageProvider createProviderForMissingBucket() {
        return open("no-such-container");
    }
}

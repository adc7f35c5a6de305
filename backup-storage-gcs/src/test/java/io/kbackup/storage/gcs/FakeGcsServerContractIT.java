package io.kbackup.storage.gcs;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import io.kbackup.testkit.storage.StorageProviderContract;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The storage contract, every feature, against fake-gcs-server where Docker is available
 * (skipped without Docker). The provider is made from a location, as users make it.
 */
@Testcontainers(disabledWithoutDocker = true)
class FakeGcsServerContractIT extends StorageProviderContract {

    private static final String BUCKET = "contract";
    private static final int PORT = 4443;

    @Container
    @SuppressWarnings("resource")
    static final GenericContainer<?> GCS = new GenericContainer<>("fsouza/fake-gcs-server:1.52.2")
            .withCommand("-scheme", "http", "-port", String.valueOf(PORT), "-backend", "memory")
            .withExposedPorts(PORT)
            .waitingFor(Wait.forHttp("/storage/v1/b").forPort(PORT));

    private static String endpoint() {
        return "http://" + GCS.getHost() + ":" + GCS.getMappedPort(PORT);
    }

    @BeforeAll
    static void configure() throws Exception {
        // resumable uploads answer with a Location built from the external URL: make it the mapped port
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder()
                .uri(URI.create(endpoint() + "/_internal/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"externalUrl\":\"" + endpoint() + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("fake-gcs-server refused the external URL: " + r.statusCode() + " " + r.body());
        }
        try (Storage admin = StorageOptions.http().setHost(endpoint()).setProjectId("kbackup-test")
                .setCredentials(NoCredentials.getInstance()).build().getService()) {
            admin.create(BucketInfo.of(BUCKET));
        }
    }

    private static StorageProvider open(String bucket) {
        return StorageProviders.discover().open(BackupLocation.gcs(bucket).endpoint(endpoint())
                .config(GcsConfig.PROJECT, "kbackup-test").credentials(Credentials.none()).build());
    }

    @Override
    protected StorageProvider createProvider() {
        return open(BUCKET);
    }

    @Override
    protected StorageProvider createProviderForMissingBucket() {
        return open("no-such-bucket");
    }
}

package io.kbackup.storage.azure;

import static org.assertj.core.api.Assertions.fail;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.BlobServiceVersion;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.testkit.servers.LocalHttpServer;
import io.kbackup.testkit.servers.ServerExtension;
import io.kbackup.testkit.servers.ServerProcess;
import io.kbackup.testkit.servers.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * Azurite's blob service as a child process on a free loopback port, from the copy pinned in
 * {@code .ci/azurite} (install with {@code npm ci --prefix .ci/azurite}; {@code .ci/run} does). When
 * it is missing the tests skip, under {@code CI=true} they fail. One per test class.
 */
final class Azurite extends LocalHttpServer {

    /** Azurite's well-known development account (public, documented by Microsoft). */
    static final String ACCOUNT = "devstoreaccount1";
    static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private Azurite(ServerProcess process, int port) {
        super(process, port);
    }

    static Azurite start() {
        Path dir = Path.of(System.getProperty("kbackup.azurite.dir", "../.ci/azurite")).toAbsolutePath().normalize();
        Path bin = dir.resolve("node_modules/.bin/azurite-blob");
        if (!Files.isExecutable(bin)) {
            String message = "Azurite is not installed at " + bin + ": install it with `npm ci --prefix .ci/azurite`"
                    + " in the repository root (.ci/run does; needs Node.js 20)";
            if (TestServers.underCi()) {
                fail(message + " (CI=true: a missing server fails instead of skipping)");
            }
            Assumptions.abort(message);
        }
        int port = TestServers.freePort();
        return ServerProcess.builder("azurite", bin)
                .args("--blobHost", "127.0.0.1", "--blobPort", String.valueOf(port), "--inMemoryPersistence",
                        "--skipApiVersionCheck", "--silent")
                .start(process -> {
                    process.awaitPort(port, Duration.ofSeconds(30));
                    return new Azurite(process, port);
                });
    }

    /** A {@link ServerExtension} starting Azurite once per class, with a blob container {@code container} made. */
    static ServerExtension<Azurite> withContainer(String container) {
        return ServerExtension.of(Azurite::start, azurite -> azurite.client().createBlobContainer(container));
    }

    /** The blob endpoint of the development account, {@code http://127.0.0.1:<port>/devstoreaccount1}. */
    @Override
    public String endpoint() {
        return super.endpoint() + "/" + ACCOUNT;
    }

    /** A location for {@code container} with the development account key. */
    BackupLocation.Builder location(String container) {
        return BackupLocation.builder().provider("azure").bucket(container).endpoint(endpoint())
                .config(AzureConfig.STORAGE_ACCOUNT, ACCOUNT)
                .credentials(Credentials.azureAccountKey(ACCOUNT, KEY));
    }

    /** A plain SDK client, to set up and inspect what the provider does. */
    BlobServiceClient client() {
        return new BlobServiceClientBuilder().endpoint(endpoint())
                .credential(new StorageSharedKeyCredential(ACCOUNT, KEY))
                .serviceVersion(BlobServiceVersion.V2025_11_05)
                .httpClient(new JdkHttpClientBuilder().build())
                .buildClient();
    }
}

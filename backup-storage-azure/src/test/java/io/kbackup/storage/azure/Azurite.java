package io.kbackup.storage.azure;

import static org.assertj.core.api.Assertions.fail;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.BlobServiceVersion;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.testkit.servers.TestServers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Azurite's blob service as a child process on a free loopback port, from the copy pinned in
 * {@code .ci/azurite} (install with {@code npm ci --prefix .ci/azurite}; {@code .ci/run} does). When
 * it is missing the tests skip, under {@code CI=true} they fail. One per test class.
 */
final class Azurite implements AutoCloseable {

    /** Azurite's well-known development account (public, documented by Microsoft). */
    static final String ACCOUNT = "devstoreaccount1";
    static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final Process process;
    private final int port;

    private Azurite(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Azurite start() throws IOException, InterruptedException {
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
        int port = freePort();
        Path work = Files.createTempDirectory("azurite");
        Path log = Path.of("target", "azurite-" + port + ".log");
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(List.of(bin.toString(), "--blobHost", "127.0.0.1", "--blobPort",
                String.valueOf(port), "--inMemoryPersistence", "--skipApiVersionCheck", "--silent"))
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Azurite azurite = new Azurite(p, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (!p.isAlive()) {
                fail("Azurite exited with " + p.exitValue() + " before listening; see " + log.toAbsolutePath());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return azurite;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    azurite.close();
                    fail("Azurite did not listen on port " + port + " within 30 s; see " + log.toAbsolutePath());
                }
                Thread.sleep(50);
            }
        }
    }

    /** {@link #start()} without checked exceptions, for {@code ServerExtension.of(Azurite::started)}. */
    static Azurite started() {
        try {
            return start();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting Azurite", e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
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

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}

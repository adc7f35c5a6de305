package io.kbackup.testkit.servers;

import java.time.Duration;
import java.util.List;

/**
 * A real fake-gcs-server (github.com/fsouza/fake-gcs-server), the Google Cloud Storage JSON and
 * upload API in one Go process, on 127.0.0.1 over plain HTTP with an in-memory backend. Built by
 * {@code .ci/servers/build.sh fake-gcs}; where the binary is missing, {@link #start()} skips the
 * calling test (fails it under {@code CI=true}), see {@link TestServers#require(String)}.
 *
 * <pre>{@code
 * try (FakeGcsServer gcs = FakeGcsServer.start()) {
 *     gcs.createBucket("backups");
 *     BackupLocation location = BackupLocation.gcs("backups").endpoint(gcs.endpoint())
 *             .config(GcsConfig.PROJECT, FakeGcsServer.PROJECT).credentials(Credentials.none()).build();
 * }
 * }</pre>
 *
 * <p>It checks no credentials. Resumable uploads answer with a {@code Location} built from the
 * external URL, which is set to {@link #endpoint()}. With google-cloud-storage:
 * {@code StorageOptions.http().setHost(endpoint()).setProjectId(PROJECT)
 * .setCredentials(NoCredentials.getInstance())} ({@code STORAGE_EMULATOR_HOST} is not read by the
 * Java client). Thread-safe; starts in well under a second.
 */
public final class FakeGcsServer extends LocalHttpServer {

    /** The binary's name in {@link TestServers#binDir()}. */
    public static final String BINARY = "fake-gcs-server";

    /** A project id to give clients; the server accepts any. */
    public static final String PROJECT = "kbackup-test";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private FakeGcsServer(ServerProcess process, int port) {
        super(process, port);
    }

    /** Starts a server with no buckets and waits until {@code /storage/v1/b} answers 200. */
    public static FakeGcsServer start() {
        return startOnFreePort("fake-gcs-server", BINARY, port -> List.of("-scheme", "http", "-host", "127.0.0.1",
                "-port", String.valueOf(port), "-backend", "memory", "-external-url", "http://127.0.0.1:" + port,
                "-public-host", "127.0.0.1:" + port, "-log-level", "warn"), "/storage/v1/b", START_TIMEOUT,
                FakeGcsServer::new);
    }

    /**
     * Creates a bucket; a bucket that already exists is fine.
     *
     * @return this server
     */
    public FakeGcsServer createBucket(String bucket) {
        S3Calls.Answer a = Http.send("POST", endpoint() + "/storage/v1/b?project=" + PROJECT, "application/json",
                "{\"name\":\"" + bucket + "\"}");
        if (!a.ok() && a.status() != 409) {
            throw new IllegalStateException("fake-gcs-server refused bucket " + bucket + ": HTTP " + a.status() + " "
                    + a.body());
        }
        return this;
    }
}

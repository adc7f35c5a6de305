package io.kbackup.testkit.servers;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A real MinIO server ({@code minio server}) on 127.0.0.1, with its data in a temporary folder that
 * {@link #close()} deletes. Built by {@code .ci/servers/build.sh minio}; where the binary is
 * missing, {@link #start()} skips the calling test (fails it under {@code CI=true}), see
 * {@link TestServers#require(String)}.
 *
 * <pre>{@code
 * try (MinioServer minio = MinioServer.start()) {
 *     minio.createBucket("backups");
 *     BackupLocation location = BackupLocation.minio(minio.endpoint(), "backups")
 *             .credentials(Credentials.awsStatic(minio.rootUser(), minio.rootPassword()))
 *             .build();
 * }
 * }</pre>
 *
 * <p>MinIO checks every request's signature against its users: the root user and password given at
 * start, and the temporary credentials it hands out through its STS {@code AssumeRole}
 * ({@link #temporaryCredentials(String, Duration)}), which a session policy may restrict. Its region
 * is {@link #REGION}. Thread-safe; starts in about a second.
 */
public final class MinioServer extends LocalHttpServer {

    /** The binary's name in {@link TestServers#binDir()}. */
    public static final String BINARY = "minio";

    /** The root user of {@link #start()}. */
    public static final String DEFAULT_ROOT_USER = "kbackup-root";

    /** The root password of {@link #start()} (MinIO wants at least 8 characters). */
    public static final String DEFAULT_ROOT_PASSWORD = "kbackup-root-secret";

    /** The region MinIO reports and signs for unless configured otherwise. */
    public static final String REGION = "us-east-1";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String rootUser;
    private final String rootPassword;

    private MinioServer(ServerProcess process, int port, String rootUser, String rootPassword) {
        super(process, port);
        this.rootUser = rootUser;
        this.rootPassword = rootPassword;
    }

    /** Starts a server with {@link #DEFAULT_ROOT_USER} and {@link #DEFAULT_ROOT_PASSWORD}; waits until ready. */
    public static MinioServer start() {
        return start(DEFAULT_ROOT_USER, DEFAULT_ROOT_PASSWORD);
    }

    /**
     * Starts a server with these root credentials and waits until {@code /minio/health/ready}
     * answers 200 and the root user can list buckets.
     *
     * @param rootUser at least 3 characters
     * @param rootPassword at least 8 characters
     */
    public static MinioServer start(String rootUser, String rootPassword) {
        Objects.requireNonNull(rootUser, "rootUser");
        Objects.requireNonNull(rootPassword, "rootPassword");
        Path binary = TestServers.require(BINARY);
        int port = TestServers.freePort();
        int consolePort = TestServers.freePort();
        return ServerProcess.builder("minio", binary)
                .args("server", "--quiet", "--address", "127.0.0.1:" + port,
                        "--console-address", "127.0.0.1:" + consolePort, "{work}/data")
                .env("MINIO_ROOT_USER", rootUser)
                .env("MINIO_ROOT_PASSWORD", rootPassword)
                .env("MINIO_BROWSER", "off")
                .env("MINIO_UPDATE", "off")
                .env("MINIO_CI_CD", "on")
                .start(process -> {
                    String endpoint = "http://127.0.0.1:" + port;
                    process.awaitHttpOk(endpoint + "/minio/health/ready", START_TIMEOUT);
                    // ready answers before IAM and the object layer are up (503 XMinioServerNotInitialized):
                    // wait until the root user can list buckets
                    process.awaitCondition("list buckets as the root user", START_TIMEOUT, () -> {
                        try {
                            return S3Calls.send(endpoint, REGION, "s3", rootUser, rootPassword, "GET", "/", Map.of(),
                                    new byte[0]).status() == 200;
                        } catch (RuntimeException notYet) {
                            return false;
                        }
                    });
                    return new MinioServer(process, port, rootUser, rootPassword);
                });
    }

    /** The root user (an access key id with every right). */
    public String rootUser() {
        return rootUser;
    }

    /** The root password (the root user's secret key). */
    public String rootPassword() {
        return rootPassword;
    }

    /** The server's region, {@link #REGION}. */
    public String region() {
        return REGION;
    }

    /** The folder MinIO keeps buckets and objects in (one folder per bucket); deleted by {@link #close()}. */
    public Path dataFolder() {
        return process().work().resolve("data");
    }

    /**
     * Creates a bucket as the root user; a bucket that already exists is fine.
     *
     * @return this server
     */
    public MinioServer createBucket(String bucket) {
        S3Calls.createBucket(endpoint(), REGION, rootUser, rootPassword, bucket, false);
        return this;
    }

    /** Creates a bucket with object lock enabled (and so versioning), as Velero's immutable backups use. */
    public MinioServer createBucketWithObjectLock(String bucket) {
        S3Calls.createBucket(endpoint(), REGION, rootUser, rootPassword, bucket, true);
        return this;
    }

    /**
     * The ids of the multipart uploads in progress (started, neither completed nor aborted) under
     * a key prefix, as MinIO lists them ({@code ListMultipartUploads}, as the root user).
     */
    public List<String> multipartUploads(String bucket, String keyPrefix) {
        return asRoot().multipartUploads(bucket, keyPrefix);
    }

    /** The numbers of the parts MinIO holds so far for one multipart upload ({@code ListParts}, as the root user). */
    public List<Integer> uploadedParts(String bucket, String key, String uploadId) {
        return asRoot().uploadedParts(bucket, key, uploadId);
    }

    /** The server seen with the root user's keys. */
    public S3Endpoint asRoot() {
        return new S3Endpoint(endpoint(), REGION, rootUser, rootPassword);
    }

    /**
     * Temporary credentials from MinIO's STS {@code AssumeRole}, called as the root user, limited by
     * a session policy: they can do only what {@code policyJson} allows (an IAM policy document;
     * {@code null} for the root user's rights).
     *
     * @param duration from 15 minutes to 12 hours
     */
    public TemporaryCredentials temporaryCredentials(String policyJson, Duration duration) {
        StringBuilder form = new StringBuilder("Action=AssumeRole&Version=2011-06-15&DurationSeconds=")
                .append(duration.toSeconds());
        if (policyJson != null) {
            form.append("&Policy=").append(URLEncoder.encode(policyJson, StandardCharsets.UTF_8));
        }
        S3Calls.Answer a = S3Calls.send(endpoint(), REGION, "sts", rootUser, rootPassword, "POST", "/",
                Map.of("content-type", "application/x-www-form-urlencoded"),
                form.toString().getBytes(StandardCharsets.UTF_8));
        String key = S3Calls.element(a.body(), "AccessKeyId");
        if (!a.ok() || key == null) {
            throw new IllegalStateException("MinIO refused AssumeRole: HTTP " + a.status() + " " + a.body());
        }
        return new TemporaryCredentials(key, S3Calls.element(a.body(), "SecretAccessKey"),
                S3Calls.element(a.body(), "SessionToken"));
    }

    /**
     * Temporary credentials handed out by MinIO's STS. {@link #toString()} prints only the access
     * key id.
     *
     * @param accessKeyId the temporary access key id
     * @param secretAccessKey its secret
     * @param sessionToken the session token every request must carry
     */
    public record TemporaryCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        @Override
        public String toString() {
            return "TemporaryCredentials[" + accessKeyId + "]";
        }
    }
}

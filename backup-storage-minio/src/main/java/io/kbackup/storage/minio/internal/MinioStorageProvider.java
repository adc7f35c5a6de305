package io.kbackup.storage.minio.internal;

import io.kbackup.spi.support.PemTrust;
import io.kbackup.spi.support.PageLimit;
import io.kbackup.InvalidPlanException;
import io.kbackup.NotFoundException;
import io.kbackup.StorageDeniedException;
import io.kbackup.StorageException;
import io.kbackup.ValidationResult;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.ListPage;
import io.kbackup.spi.StorageProvider;
import io.kbackup.storage.minio.MinioConfig;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsV2Response;
import io.minio.MinioAsyncClient;
import io.minio.RemoveObjectArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.credentials.AwsConfigProvider;
import io.minio.credentials.AwsEnvironmentProvider;
import io.minio.credentials.ChainedProvider;
import io.minio.credentials.MinioEnvironmentProvider;
import io.minio.credentials.StaticProvider;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.DeleteError;
import io.minio.messages.DeleteObject;
import io.minio.messages.Item;
import io.minio.messages.ListBucketResultV2;
import io.minio.messages.Prefix;
import io.kbackup.Credentials;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/** The {@code minio} storage provider: one bucket through the MinIO Java client. Thread-safe. */
public final class MinioStorageProvider implements StorageProvider {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration READ_WRITE_TIMEOUT = Duration.ofSeconds(60);
    static final Duration VALIDATE_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration VALIDATE_CALL_TIMEOUT = Duration.ofSeconds(10);
    /** The multi-object delete takes at most this many keys per request. */
    static final int DELETE_BATCH = 1000;

    private final MinioSettings settings;
    private final KbMinioClient client;
    private final KbMinioClient validateClient;

    public MinioStorageProvider(MinioSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        OkHttpClient http = httpClient(settings, CONNECT_TIMEOUT, READ_WRITE_TIMEOUT, Duration.ZERO);
        this.client = client(settings, http);
        this.validateClient = client(settings,
                http.newBuilder().connectTimeout(VALIDATE_CONNECT_TIMEOUT).readTimeout(VALIDATE_CALL_TIMEOUT)
                        .callTimeout(VALIDATE_CALL_TIMEOUT).retryOnConnectionFailure(false).build());
    }

    @Override
    public String id() {
        return "minio";
    }

    public MinioSettings settings() {
        return settings;
    }

    private static KbMinioClient client(MinioSettings s, OkHttpClient http) {
        MinioAsyncClient.Builder b = MinioAsyncClient.builder()
                .endpoint(s.endpoint().toString())
                .region(s.region())
                .httpClient(http, true);
        Credentials c = s.credentials();
        if (c instanceof Credentials.AwsStatic keys) {
            b.credentialsProvider(new StaticProvider(keys.accessKeyId(), keys.secretAccessKey(), keys.sessionToken()));
        } else if (c instanceof Credentials.AwsDefaultChain) {
            b.credentialsProvider(new ChainedProvider(new AwsEnvironmentProvider(), new MinioEnvironmentProvider(),
                    new AwsConfigProvider(null, null)));
        }
        KbMinioClient client = new KbMinioClient(b.build());
        if (s.pathStyle()) {
            client.disableVirtualStyleEndpoint();
        } else {
            client.enableVirtualStyleEndpoint();
        }
        return client;
    }

    static OkHttpClient httpClient(MinioSettings s, Duration connect, Duration readWrite, Duration call) {
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectTimeout(connect).readTimeout(readWrite).writeTimeout(readWrite).callTimeout(call);
        X509TrustManager trust = null;
        if (s.insecureSkipTlsVerify()) {
            trust = new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            };
            b.hostnameVerifier((host, session) -> true);
        } else if (s.caCertPem() != null) {
            List<X509Certificate> certs;
            try {
                certs = PemTrust.certificates(s.caCertPem());
            } catch (IllegalArgumentException e) {
                throw new InvalidPlanException("Backup location '" + s.locationName() + "' (minio): '" + MinioConfig.CA_CERT
                        + "' is not a PEM certificate bundle (" + e.getMessage() + "); paste the CA's"
                        + " -----BEGIN CERTIFICATE----- block(s).", e);
            }
            for (TrustManager tm : PemTrust.trustManagers(certs)) {
                if (tm instanceof X509TrustManager x) {
                    trust = x;
                }
            }
        }
        if (trust != null) {
            try {
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(null, new TrustManager[] {trust}, new SecureRandom());
                b.sslSocketFactory(ssl.getSocketFactory(), trust);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("could not set up TLS: " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    @Override
    public BlobWriter openWriter(String key) {
        return new MinioBlobWriter(client, settings, checkKey(key));
    }

    @Override
    public InputStream get(String key) {
        checkKey(key);
        try {
            return client.getObject(GetObjectArgs.builder().bucket(settings.bucket()).region(settings.region())
                    .object(key).build()).get();
        } catch (Exception e) {
            throw MinioErrors.map(e, "read", path(key), key);
        }
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        checkKey(key);
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must be >= 0, were " + offset + " and " + length);
        }
        if (length == 0) {
            if (head(key).isEmpty()) {
                throw new NotFoundException(key, "No blob " + path(key) + ".");
            }
            return InputStream.nullInputStream();
        }
        try {
            return client.getObject(GetObjectArgs.builder().bucket(settings.bucket()).region(settings.region())
                    .object(key).offset(offset).length(length).build()).get();
        } catch (Exception e) {
            Throwable t = MinioErrors.unwrap(e);
            if (t instanceof ErrorResponseException er && (MinioErrors.status(er) == 416
                    || "InvalidRange".equals(MinioErrors.code(er)))) {
                // the range starts at or after the end: nothing to read
                return InputStream.nullInputStream();
            }
            throw MinioErrors.map(e, "read", path(key), key);
        }
    }

    @Override
    public Optional<BlobInfo> head(String key) {
        checkKey(key);
        try {
            StatObjectResponse r = client.statObject(StatObjectArgs.builder().bucket(settings.bucket())
                    .region(settings.region()).object(key).build()).get();
            return Optional.of(new BlobInfo(key, r.size(), r.lastModified() == null ? null : r.lastModified().toInstant(),
                    etag(r.etag())));
        } catch (Exception e) {
            Throwable t = MinioErrors.unwrap(e);
            if (t instanceof ErrorResponseException er && !"NoSuchBucket".equals(MinioErrors.code(er))
                    && (MinioErrors.status(er) == 404 || "NoSuchKey".equals(MinioErrors.code(er))
                            || "NoSuchObject".equals(MinioErrors.code(er)))) {
                return Optional.empty();
            }
            throw MinioErrors.map(e, "read metadata of", path(key), null);
        }
    }

    @Override
    public ListPage list(String prefix, String delimiter, String continuationToken, int pageSize) {
        Objects.requireNonNull(prefix, "prefix");
        if (pageSize <= 0) {
            throw new IllegalArgumentException("pageSize must be > 0, was " + pageSize);
        }
        ListBucketResultV2 r;
        try {
            ListObjectsV2Response response = client.listPage(settings.bucket(), settings.region(), prefix,
                    delimiter == null || delimiter.isEmpty() ? null : delimiter, continuationToken,
                    Math.min(pageSize, 1000)).get();
            r = response.result();
        } catch (Exception e) {
            throw MinioErrors.map(e, "list", path(prefix) + "*", null);
        }
        List<BlobInfo> blobs = new ArrayList<>();
        for (Item o : r.contents()) {
            Instant modified = o.lastModified() == null ? null : o.lastModified().toInstant();
            blobs.add(new BlobInfo(o.objectName(), o.size(), modified, etag(o.etag())));
        }
        List<String> prefixes = new ArrayList<>();
        for (Prefix p : r.commonPrefixes()) {
            prefixes.add(p.toItem().objectName());
        }
        String next = r.isTruncated() ? r.nextContinuationToken() : null;
        return PageLimit.limit(blobs, prefixes, next, pageSize);
    }

    @Override
    public void delete(String key) {
        checkKey(key);
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(settings.bucket()).region(settings.region())
                    .object(key).build()).get();
        } catch (Exception e) {
            Throwable t = MinioErrors.unwrap(e);
            if (t instanceof ErrorResponseException er && "NoSuchKey".equals(MinioErrors.code(er))) {
                return;
            }
            throw MinioErrors.map(e, "delete", path(key), null);
        }
    }

    /** The multi-object delete, 1000 keys per request; keys that do not exist are not an error. */
    @Override
    public void deleteAll(Collection<String> keys) {
        List<String> all = new ArrayList<>(new LinkedHashSet<>(keys));
        for (int from = 0; from < all.size(); from += DELETE_BATCH) {
            List<DeleteObject> batch = new ArrayList<>();
            for (String key : all.subList(from, Math.min(all.size(), from + DELETE_BATCH))) {
                batch.add(new DeleteObject(checkKey(key)));
            }
            List<DeleteError> failed = new ArrayList<>();
            try {
                for (Result<DeleteError> result : client.removeObjects(RemoveObjectsArgs.builder()
                        .bucket(settings.bucket()).region(settings.region()).objects(batch).build())) {
                    DeleteError err = result.get();
                    if (!"NoSuchKey".equals(err.code())) {
                        failed.add(err);
                    }
                }
            } catch (Exception e) {
                throw MinioErrors.map(e, "delete " + batch.size() + " blobs in", "s3://" + settings.bucket(), null);
            }
            if (!failed.isEmpty()) {
                DeleteError first = failed.get(0);
                String message = "Could not delete " + failed.size() + " of " + batch.size() + " blobs in s3://"
                        + settings.bucket() + "; first: " + first.objectName() + " (MinIO said: " + first.code() + ": "
                        + first.message() + ").";
                if ("AccessDenied".equals(first.code())) {
                    throw new StorageDeniedException(message + " Grant s3:DeleteObject on the bucket.", null);
                }
                boolean retry = failed.stream().allMatch(err -> MinioErrors.RETRYABLE_CODES.contains(err.code()));
                throw new StorageException(message, null, retry);
            }
        }
    }

    @Override
    public ValidationResult validate() {
        try {
            validateClient.listPage(settings.bucket(), settings.region(), settings.keyPrefix(), null, null, 1)
                    .get(VALIDATE_CALL_TIMEOUT.toMillis() + 2000, TimeUnit.MILLISECONDS);
            return ValidationResult.ok();
        } catch (java.util.concurrent.TimeoutException e) {
            return ValidationResult.failed(ValidationResult.Kind.UNREACHABLE, "No answer from " + settings.where()
                    + " within " + VALIDATE_CALL_TIMEOUT.toSeconds() + " s.", "Check the endpoint URL (scheme, host,"
                    + " port), DNS, firewall and proxy, and that the server is running.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ValidationResult.failed(ValidationResult.Kind.OTHER, "Interrupted while checking " + settings.where()
                    + ".", "Try again.");
        } catch (Exception e) {
            return ValidationResult.of(List.of(MinioErrors.problem(e, settings)));
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : List.of(client, validateClient)) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @Override
    public String toString() {
        return "MinioStorageProvider[" + settings.where() + ", credentials=" + settings.credentials().kind() + "]";
    }

    private String path(String key) {
        return "s3://" + settings.bucket() + "/" + key;
    }

    static String etag(String etag) {
        if (etag == null) {
            return null;
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }

    private static String checkKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        return key;
    }
}

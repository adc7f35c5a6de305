package io.kbackup.storage.s3;

import io.kbackup.Credentials;
import io.kbackup.KeyUnavailableException;
import io.kbackup.spi.KeyProvider;
import io.kbackup.spi.support.KeyServiceBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * Key provider {@value #ID}: each encrypted backup's data key is wrapped by the AWS KMS key named
 * in the location's {@link io.kbackup.Encryption#keyId()} (key ARN, key id or alias ARN) with
 * {@code kms:Encrypt}, and unwrapped with {@code kms:Decrypt} naming the same key, both bound to
 * the backup's name through the encryption context {@value #CONTEXT_KEY}. KMS's own key rotation
 * is transparent; moving a location to another key leaves old backups naming theirs.
 *
 * <p>The instance {@link java.util.ServiceLoader} finds uses the AWS SDK's default credential and
 * region chains; pass a configured one with {@code KeyProviders.discover().with(provider)} to set
 * the region, an endpoint (a VPC endpoint, or an emulator) or credentials. Thread-safe; the KMS
 * client is built on first use.
 *
 * <pre>{@code
 * KeyProvider kms = AwsKmsKeyProvider.builder().region("eu-west-1").build();
 * DirectOptions options = DirectOptions.builder().keyProviders(KeyProviders.discover().with(kms)).build();
 * }</pre>
 */
public final class AwsKmsKeyProvider implements KeyProvider, AutoCloseable {
    /** The provider id. */
    public static final String ID = "aws-kms";
    /** The encryption-context key bound to each wrapped data key (value: the backup's context). */
    public static final String CONTEXT_KEY = "kbackup:backup";

    private final String region;
    private final String endpoint;
    private final Credentials credentials;
    private volatile KmsClient client;

    /** The instance ServiceLoader makes: default credential and region chains. */
    public AwsKmsKeyProvider() {
        this(null, null, Credentials.awsDefaultChain());
    }

    private AwsKmsKeyProvider(String region, String endpoint, Credentials credentials) {
        this.region = region;
        this.endpoint = endpoint;
        this.credentials = credentials;
    }

    /** A builder for a configured instance. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public byte[] wrap(String keyId, byte[] dataKey, byte[] context) {
        return call("wrap a data key with", keyId, kms -> kms.encrypt(r -> r.keyId(keyId)
                .plaintext(SdkBytes.fromByteArray(dataKey)).encryptionContext(context(context))).ciphertextBlob());
    }

    @Override
    public byte[] unwrap(String keyId, byte[] wrappedKey, byte[] context) {
        return call("unwrap the data key with", keyId, kms -> kms.decrypt(r -> r.keyId(keyId)
                .ciphertextBlob(SdkBytes.fromByteArray(wrappedKey)).encryptionContext(context(context))).plaintext());
    }

    /** Runs one KMS call, its failure turned into a {@link KeyUnavailableException} naming {@code what} it was to do. */
    private byte[] call(String what, String keyId, Function<KmsClient, SdkBytes> call) {
        try {
            return call.apply(kms()).asByteArray();
        } catch (SdkException e) {
            throw failure(what, keyId, e);
        }
    }

    private static Map<String, String> context(byte[] context) {
        return Map.of(CONTEXT_KEY, new String(context, StandardCharsets.UTF_8));
    }

    /**
     * Never quotes key material: the SDK's messages name the key and the error, not the plaintext.
     * Retryable: KMS unreachable, a server error, or throttling (which KMS answers HTTP 400
     * {@code ThrottlingException}, not 429).
     */
    private static KeyUnavailableException failure(String what, String keyId, SdkException e) {
        boolean throttled = e instanceof KmsException k && k.isThrottlingException();
        boolean unreachable = e instanceof SdkClientException || (e instanceof KmsException k && k.statusCode() >= 500);
        String code = e instanceof KmsException k && k.awsErrorDetails() != null ? k.awsErrorDetails().errorCode() : e.getClass().getSimpleName();
        return new KeyUnavailableException(ID, keyId, "AWS KMS could not " + what + " key '" + keyId + "' (" + code
                + (e instanceof KmsException k ? ", HTTP " + k.statusCode() : "") + "): "
                + (throttled ? "KMS throttled the call (request quota); try again later."
                        : unreachable ? "KMS was not reachable; try again."
                        : "check that the key exists, is enabled, that these credentials may use it, and (to unwrap) that it is the key"
                                + " that wrapped the backup's data key."), e, throttled || unreachable);
    }

    private KmsClient kms() {
        KmsClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    KmsClientBuilder b = KmsClient.builder().httpClient(Apache5HttpClient.builder().build())
                            .credentialsProvider(credentialsProvider(credentials));
                    if (region != null) {
                        b.region(Region.of(region));
                    }
                    if (endpoint != null) {
                        b.endpointOverride(URI.create(endpoint));
                    }
                    client = b.build();
                }
                c = client;
            }
        }
        return c;
    }

    private static AwsCredentialsProvider credentialsProvider(Credentials c) {
        if (c instanceof Credentials.AwsStatic s) {
            return StaticCredentialsProvider.create(s.sessionToken() == null ? AwsBasicCredentials.create(s.accessKeyId(), s.secretAccessKey())
                    : AwsSessionCredentials.create(s.accessKeyId(), s.secretAccessKey(), s.sessionToken()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    @Override
    public void close() {
        KmsClient c = client;
        if (c != null) {
            c.close();
        }
    }

    /** Shows the region, endpoint and credential kind only. */
    @Override
    public String toString() {
        return "AwsKmsKeyProvider[region=" + (region != null ? region : "default chain") + (endpoint != null ? ", endpoint=" + endpoint : "")
                + ", credentials=" + credentials.kind() + "]";
    }

    /**
     * Builds an {@link AwsKmsKeyProvider}. Credentials: {@link Credentials.AwsStatic} or
     * {@link Credentials.AwsDefaultChain} (the default); another kind is refused with an
     * {@link io.kbackup.InvalidPlanException}. Not thread-safe.
     */
    public static final class Builder extends KeyServiceBuilder<AwsKmsKeyProvider, Builder> {
        private String region;
        private String endpoint;

        private Builder() {
            super("AwsKmsKeyProvider", Credentials.awsDefaultChain(), "AWS static keys or the default chain", Credentials.AwsStatic.class,
                    Credentials.AwsDefaultChain.class);
        }

        /** The KMS region; default: the SDK's region chain. */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** An endpoint override ({@code https://kms.eu-west-1.amazonaws.com}, a VPC endpoint, an emulator). */
        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        @Override
        public AwsKmsKeyProvider build() {
            return new AwsKmsKeyProvider(region, endpoint, credentials());
        }
    }
}

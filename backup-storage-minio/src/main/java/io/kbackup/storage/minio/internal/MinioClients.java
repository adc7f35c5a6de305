package io.kbackup.storage.minio.internal;

import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.spi.support.PemTrust;
import io.kbackup.storage.minio.MinioConfig;
import io.minio.MinioAsyncClient;
import io.minio.credentials.AwsConfigProvider;
import io.minio.credentials.AwsEnvironmentProvider;
import io.minio.credentials.ChainedProvider;
import io.minio.credentials.MinioEnvironmentProvider;
import io.minio.credentials.StaticProvider;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/** Builds the MinIO client and its HTTP client from a location's settings: credentials, addressing, timeouts, TLS trust. */
final class MinioClients {

    private MinioClients() {}

    static KbMinioClient client(MinioSettings s, OkHttpClient http) {
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
}

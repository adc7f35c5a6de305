package io.kbackup.storage.azure.internal;

import com.azure.core.credential.AzureSasCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import java.time.Duration;

/**
 * The two Azure SDK client stacks of one location, sharing its credentials: one for data with
 * retries (exponential, 4 tries) and generous timeouts, one for validation with a single try and
 * short timeouts ({@link #VALIDATE_TIMEOUT}), so that a wrong endpoint is reported in seconds.
 * Building them contacts nothing.
 */
final class AzureClients {

    /** How long validation waits for the service. */
    static final Duration VALIDATE_TIMEOUT = Duration.ofSeconds(10);

    private final AzureSettings settings;
    private final BlobContainerClient container;
    private final BlobContainerClient validationContainer;

    /** @throws InvalidPlanException when the credentials cannot be set up */
    AzureClients(AzureSettings settings) {
        this.settings = settings;
        HttpClient http = new JdkHttpClientBuilder()
                .connectionTimeout(Duration.ofSeconds(10))
                .responseTimeout(Duration.ofSeconds(60))
                .readTimeout(Duration.ofSeconds(60))
                .writeTimeout(Duration.ofSeconds(60))
                .build();
        HttpClient fastHttp = new JdkHttpClientBuilder()
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(VALIDATE_TIMEOUT)
                .readTimeout(VALIDATE_TIMEOUT)
                .build();
        RequestRetryOptions retries = new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 4,
                Duration.ofMinutes(5), Duration.ofMillis(500), Duration.ofSeconds(30), null);
        RequestRetryOptions once = new RequestRetryOptions(RetryPolicyType.FIXED, 1, VALIDATE_TIMEOUT,
                Duration.ofMillis(1), Duration.ofMillis(1), null);
        Object credential = credential(settings);
        BlobServiceClient service = client(http, retries, credential).buildClient();
        this.container = service.getBlobContainerClient(settings.container());
        this.validationContainer = client(fastHttp, once, credential).buildClient()
                .getBlobContainerClient(settings.container());
    }

    /** The container, through the data clients. */
    BlobContainerClient container() {
        return container;
    }

    /** The container, through the validation clients. */
    BlobContainerClient validationContainer() {
        return validationContainer;
    }

    private BlobServiceClientBuilder client(HttpClient http, RequestRetryOptions retries, Object credential) {
        BlobServiceClientBuilder b = new BlobServiceClientBuilder()
                .endpoint(settings.endpoint())
                .serviceVersion(settings.serviceVersion())
                .httpClient(http)
                .retryOptions(retries);
        if (credential instanceof StorageSharedKeyCredential k) {
            b.credential(k);
        } else if (credential instanceof AzureSasCredential s) {
            b.credential(s);
        } else {
            b.credential((TokenCredential) credential);
        }
        return b;
    }

    private static Object credential(AzureSettings s) {
        Credentials c = s.credentials();
        try {
            if (c instanceof Credentials.AzureAccountKey k) {
                return new StorageSharedKeyCredential(k.accountName(), k.accountKey());
            }
            if (c instanceof Credentials.AzureSas sas) {
                String token = sas.sasToken().startsWith("?") ? sas.sasToken().substring(1) : sas.sasToken();
                return new AzureSasCredential(token);
            }
            return AzureTokenCredentials.of(c);
        } catch (IllegalArgumentException | NullPointerException | IllegalStateException e) {
            String hint = c instanceof Credentials.AzureWorkloadIdentity
                    ? " Workload identity reads AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE, which AKS"
                            + " injects into pods whose service account is set up for it (label azure.workload.identity/use=true)."
                    : "";
            throw new InvalidPlanException("Azure credentials of kind '" + c.kind() + "' could not be set up: "
                    + new AzureErrors(s.secrets(), "").scrub(e.getMessage()) + "." + hint, null);
        }
    }
}

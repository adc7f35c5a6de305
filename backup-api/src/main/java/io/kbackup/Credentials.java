package io.kbackup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a backup location authenticates to its storage service: static keys, or dynamic
 * credentials that the provider obtains and refreshes itself (AWS STS AssumeRole or web identity,
 * Azure service principal or managed/workload identity, GCS application default credentials).
 *
 * <p>Secrets are never printed: every {@code toString()} shows the kind and the non-secret fields
 * only. Credentials are never written into a backup's metadata.
 *
 * <pre>{@code
 * Credentials keys = Credentials.awsStatic("AKIA...", secretKey);
 * Credentials role = Credentials.awsAssumeRole("arn:aws:iam::123456789012:role/backup", "ext-id",
 *         Duration.ofHours(1), keys);
 * }</pre>
 */
public sealed interface Credentials {

    /** Short name of the kind, e.g. {@code aws-static}; safe to log. */
    String kind();

    /** AWS (or S3-compatible, MinIO) access key pair, optionally with a session token. */
    record AwsStatic(String accessKeyId, String secretAccessKey, String sessionToken) implements Credentials {
        public AwsStatic {
            requireText(accessKeyId, "accessKeyId");
            requireText(secretAccessKey, "secretAccessKey");
        }

        @Override
        public String kind() {
            return "aws-static";
        }

        @Override
        public String toString() {
            return "AwsStatic[accessKeyId=" + mask(accessKeyId) + ", secretAccessKey=****"
                    + (sessionToken != null ? ", sessionToken=****" : "") + "]";
        }
    }

    /**
     * STS AssumeRole: temporary credentials for {@code roleArn}, refreshed before they expire.
     *
     * @param roleArn         the role to assume
     * @param externalId      the external ID the role's trust policy requires, or {@code null}
     * @param sessionDuration how long each session lasts (15 min to 12 h); default 1 h
     * @param source          the credentials that call STS; {@code null} for the default chain
     */
    record AwsAssumeRole(String roleArn, String externalId, Duration sessionDuration, Credentials source)
            implements Credentials {
        public AwsAssumeRole {
            requireText(roleArn, "roleArn");
            if (sessionDuration == null) {
                sessionDuration = Duration.ofHours(1);
            }
            if (sessionDuration.compareTo(Duration.ofMinutes(15)) < 0 || sessionDuration.compareTo(Duration.ofHours(12)) > 0) {
                throw new InvalidPlanException("AssumeRole sessionDuration must be between 15 minutes and 12 hours, was "
                        + sessionDuration + ".");
            }
            if (source != null && !(source instanceof AwsStatic) && !(source instanceof AwsDefaultChain)) {
                throw new InvalidPlanException("AssumeRole source credentials must be AWS static keys or the default chain, was "
                        + source.kind() + ".");
            }
        }

        @Override
        public String kind() {
            return "aws-assume-role";
        }

        @Override
        public String toString() {
            return "AwsAssumeRole[roleArn=" + roleArn + ", externalId=" + (externalId != null ? "****" : "none")
                    + ", sessionDuration=" + sessionDuration + ", source=" + source + "]";
        }
    }

    /** STS AssumeRoleWithWebIdentity (EKS IRSA): a role and the projected token file. */
    record AwsWebIdentity(String roleArn, Path tokenFile, String sessionName) implements Credentials {
        public AwsWebIdentity {
            requireText(roleArn, "roleArn");
            Objects.requireNonNull(tokenFile, "tokenFile");
        }

        @Override
        public String kind() {
            return "aws-web-identity";
        }

        @Override
        public String toString() {
            return "AwsWebIdentity[roleArn=" + roleArn + ", tokenFile=" + tokenFile + "]";
        }
    }

    /** The AWS SDK's default provider chain (environment, profile, container, instance role, IRSA). */
    record AwsDefaultChain() implements Credentials {
        @Override
        public String kind() {
            return "aws-default-chain";
        }
    }

    /** Azure storage account name and shared key. */
    record AzureAccountKey(String accountName, String accountKey) implements Credentials {
        public AzureAccountKey {
            requireText(accountName, "accountName");
            requireText(accountKey, "accountKey");
        }

        @Override
        public String kind() {
            return "azure-account-key";
        }

        @Override
        public String toString() {
            return "AzureAccountKey[accountName=" + accountName + ", accountKey=****]";
        }
    }

    /** Azure shared access signature token (without or with the leading {@code ?}). */
    record AzureSas(String sasToken) implements Credentials {
        public AzureSas {
            requireText(sasToken, "sasToken");
        }

        @Override
        public String kind() {
            return "azure-sas";
        }

        @Override
        public String toString() {
            return "AzureSas[sasToken=****]";
        }
    }

    /** Azure AD service principal with a client secret. */
    record AzureServicePrincipal(String tenantId, String clientId, String clientSecret) implements Credentials {
        public AzureServicePrincipal {
            requireText(tenantId, "tenantId");
            requireText(clientId, "clientId");
            requireText(clientSecret, "clientSecret");
        }

        @Override
        public String kind() {
            return "azure-service-principal";
        }

        @Override
        public String toString() {
            return "AzureServicePrincipal[tenantId=" + tenantId + ", clientId=" + clientId + ", clientSecret=****]";
        }
    }

    /** Azure managed identity; {@code clientId} selects a user-assigned identity, {@code null} the system one. */
    record AzureManagedIdentity(String clientId) implements Credentials {
        @Override
        public String kind() {
            return "azure-managed-identity";
        }
    }

    /** Azure workload identity (federated token from the environment AKS injects). */
    record AzureWorkloadIdentity() implements Credentials {
        @Override
        public String kind() {
            return "azure-workload-identity";
        }
    }

    /** A Google service-account key, the JSON file's content. */
    record GcsServiceAccountJson(String json) implements Credentials {
        public GcsServiceAccountJson {
            requireText(json, "json");
        }

        @Override
        public String kind() {
            return "gcs-service-account";
        }

        @Override
        public String toString() {
            return "GcsServiceAccountJson[json=****]";
        }
    }

    /** Google application default credentials (GKE workload identity, metadata server, gcloud). */
    record GcsApplicationDefault() implements Credentials {
        @Override
        public String kind() {
            return "gcs-application-default";
        }
    }

    /** No credentials: anonymous access, or a local folder. */
    record None() implements Credentials {
        @Override
        public String kind() {
            return "none";
        }
    }

    // ---- factories ----

    /** AWS/S3-compatible access key pair. */
    static Credentials awsStatic(String accessKeyId, String secretAccessKey) {
        return new AwsStatic(accessKeyId, secretAccessKey, null);
    }

    /** AWS temporary keys with a session token. */
    static Credentials awsStatic(String accessKeyId, String secretAccessKey, String sessionToken) {
        return new AwsStatic(accessKeyId, secretAccessKey, sessionToken);
    }

    /** STS AssumeRole; see {@link AwsAssumeRole}. */
    static Credentials awsAssumeRole(String roleArn, String externalId, Duration sessionDuration, Credentials source) {
        return new AwsAssumeRole(roleArn, externalId, sessionDuration, source);
    }

    /** STS web identity (IRSA). */
    static Credentials awsWebIdentity(String roleArn, Path tokenFile) {
        return new AwsWebIdentity(roleArn, tokenFile, null);
    }

    /** The AWS default provider chain. */
    static Credentials awsDefaultChain() {
        return new AwsDefaultChain();
    }

    /** Azure account key. */
    static Credentials azureAccountKey(String accountName, String accountKey) {
        return new AzureAccountKey(accountName, accountKey);
    }

    /** Azure SAS token. */
    static Credentials azureSas(String sasToken) {
        return new AzureSas(sasToken);
    }

    /** Azure service principal. */
    static Credentials azureServicePrincipal(String tenantId, String clientId, String clientSecret) {
        return new AzureServicePrincipal(tenantId, clientId, clientSecret);
    }

    /** Azure managed identity; {@code clientId} may be {@code null} for the system-assigned one. */
    static Credentials azureManagedIdentity(String clientId) {
        return new AzureManagedIdentity(clientId);
    }

    /** Azure workload identity. */
    static Credentials azureWorkloadIdentity() {
        return new AzureWorkloadIdentity();
    }

    /** GCS service-account key JSON. */
    static Credentials gcsServiceAccountJson(String json) {
        return new GcsServiceAccountJson(json);
    }

    /** GCS application default credentials. */
    static Credentials gcsApplicationDefault() {
        return new GcsApplicationDefault();
    }

    /** No credentials. */
    static Credentials none() {
        return new None();
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidPlanException("Credentials: " + field + " is required and must not be blank.");
        }
    }

    private static String mask(String id) {
        return id.length() <= 4 ? "****" : id.substring(0, 4) + "****";
    }
}

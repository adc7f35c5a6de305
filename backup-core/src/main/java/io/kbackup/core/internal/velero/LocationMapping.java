package io.kbackup.core.internal.velero;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BackupLocation} as Velero's object-store plugins read it: a {@code BackupStorageLocation}
 * (name = the location's name) and, for static credentials, a Secret in the plugin's own format
 * (aws: an AWS credentials file under key {@code cloud}; azure: an {@code AZURE_*} env file;
 * gcp: the service-account JSON). Only the config keys each plugin knows are passed on (the
 * plugins refuse unknown keys); SDK-only keys are dropped. Secret values never leave the Secret.
 */
public final class LocationMapping {
    private static final Logger LOG = LoggerFactory.getLogger(LocationMapping.class);

    /** The key of the credentials file in the Secret, Velero's convention. */
    public static final String SECRET_KEY = "cloud";

    private static final Set<String> AWS_KEYS = Set.of("region", "s3Url", "publicUrl", "kmsKeyId", "customerKeyEncryptionFile",
            "s3ForcePathStyle", "signatureVersion", "profile", "serverSideEncryption", "insecureSkipTLSVerify",
            "enableSharedConfig", "tagging", "checksumAlgorithm");
    private static final Set<String> AZURE_KEYS = Set.of("resourceGroup", "storageAccount", "subscriptionId",
            "storageAccountKeyEnvVar", "blockSizeInBytes", "storageAccountURI", "useAAD", "activeDirectoryAuthorityURI",
            "storageDomain");
    private static final Set<String> GCP_KEYS = Set.of("kmsKeyName", "serviceAccount", "storeEndpoint");

    private static final String AZURE_KEY_VAR = "AZURE_STORAGE_ACCOUNT_ACCESS_KEY";

    private LocationMapping() {}

    /** The BackupStorageLocation and its credentials Secret (null when Velero's own credentials are used). */
    public record Mapped(GenericKubernetesResource storageLocation, Secret secret) {}

    /** The Secret's name for a location: {@code kbackup-<location>-credentials}. */
    public static String secretName(String locationName) {
        return "kbackup-" + locationName + "-credentials";
    }

    /** Velero's plugin name for a location's provider, or an {@link InvalidPlanException} saying why there is none. */
    public static String veleroProvider(BackupLocation location) {
        return switch (location.provider()) {
            case "s3", "minio" -> "aws";
            case "azure" -> "azure";
            case "gcs" -> "gcp";
            case BackupLocation.LOCAL -> throw new InvalidPlanException("Backup location '" + location.name()
                    + "' is a local folder, which Velero cannot use: the Velero server runs in the cluster and cannot"
                    + " reach this machine's files. Use an object-store location both can reach (s3, minio, azure, gcs),"
                    + " or KBackup.direct(client), which writes local folders.");
            default -> throw new InvalidPlanException("Backup location '" + location.name() + "' uses provider '"
                    + location.provider() + "', for which Velero has no object-store plugin; the VeleroEngine supports"
                    + " s3, minio, azure and gcs locations. Use KBackup.direct(client) for this location.");
        };
    }

    /**
     * Maps a location.
     *
     * @throws InvalidPlanException when Velero cannot use the location or its kind of credentials
     */
    public static Mapped map(BackupLocation location, String namespace) {
        String provider = veleroProvider(location);
        Map<String, String> config = new TreeMap<>();
        Map<String, String> objectStorage = new LinkedHashMap<>();
        objectStorage.put("bucket", location.bucket());
        if (!location.prefix().isEmpty()) {
            objectStorage.put("prefix", location.prefix());
        }
        Set<String> known = switch (provider) {
            case "aws" -> AWS_KEYS;
            case "azure" -> AZURE_KEYS;
            default -> GCP_KEYS;
        };
        for (Map.Entry<String, String> e : location.config().entrySet()) {
            if (e.getKey().equals("caCert")) {
                objectStorage.put("caCert", Base64.getEncoder().encodeToString(e.getValue().getBytes(StandardCharsets.UTF_8)));
            } else if (known.contains(e.getKey())) {
                config.put(e.getKey(), e.getValue());
            } else {
                LOG.debug("Backup location '{}': config key '{}' has no meaning for Velero's {} plugin; not passed on",
                        location.name(), e.getKey(), provider);
            }
        }
        if (provider.equals("aws")) {
            location.region().ifPresent(r -> config.put("region", r));
            config.putIfAbsent("region", "us-east-1");
            location.endpoint().ifPresent(ep -> config.put("s3Url", ep));
            if (location.provider().equals("minio")) {
                config.putIfAbsent("s3ForcePathStyle", "true");
            }
        }
        String secretContent = credentialsFile(location, provider, config);

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("provider", provider);
        spec.put("objectStorage", objectStorage);
        if (!config.isEmpty()) {
            spec.put("config", config);
        }
        Secret secret = null;
        if (secretContent != null) {
            spec.put("credential", Map.of("name", secretName(location.name()), "key", SECRET_KEY));
            secret = new SecretBuilder().withNewMetadata().withName(secretName(location.name())).withNamespace(namespace)
                    .addToLabels(VeleroLabels.MANAGED_BY, VeleroLabels.MANAGED_BY_VALUE)
                    .addToLabels(VeleroLabels.LOCATION, location.name()).endMetadata()
                    .withType("Opaque")
                    .addToData(SECRET_KEY, Base64.getEncoder().encodeToString(secretContent.getBytes(StandardCharsets.UTF_8)))
                    .build();
        }
        GenericKubernetesResource bsl = new GenericKubernetesResourceBuilder()
                .withApiVersion(VeleroKind.API_VERSION).withKind(VeleroKind.BACKUP_STORAGE_LOCATION.kind())
                .withNewMetadata().withName(location.name()).withNamespace(namespace)
                .addToLabels(VeleroLabels.MANAGED_BY, VeleroLabels.MANAGED_BY_VALUE).endMetadata()
                .addToAdditionalProperties("spec", spec)
                .build();
        return new Mapped(bsl, secret);
    }

    /** The plugin's credentials file, or null to leave Velero's own credentials in charge; may add config keys. */
    private static String credentialsFile(BackupLocation location, String provider, Map<String, String> config) {
        Credentials c = location.credentials();
        String where = "Backup location '" + location.name() + "' (" + location.provider() + ")";
        if (c instanceof Credentials.None) {
            return null;
        }
        switch (provider) {
            case "aws" -> {
                if (c instanceof Credentials.AwsStatic s) {
                    return awsProfile("default", s);
                }
                if (c instanceof Credentials.AwsDefaultChain) {
                    return null;
                }
                if (c instanceof Credentials.AwsAssumeRole r && r.source() instanceof Credentials.AwsStatic s) {
                    config.put("enableSharedConfig", "true");
                    StringBuilder sb = new StringBuilder("[default]\nrole_arn=").append(r.roleArn())
                            .append("\nsource_profile=kbackup-source\n");
                    if (r.externalId() != null) {
                        sb.append("external_id=").append(r.externalId()).append('\n');
                    }
                    sb.append("duration_seconds=").append(r.sessionDuration().toSeconds()).append('\n');
                    return sb.append(awsProfile("kbackup-source", s)).toString();
                }
                if (c instanceof Credentials.AwsAssumeRole) {
                    throw new InvalidPlanException(where + ": AssumeRole from the default credential chain cannot be handed"
                            + " to Velero; give static source keys (Credentials.awsAssumeRole(role, externalId, duration,"
                            + " Credentials.awsStatic(...))) or configure the role in Velero's own credentials and use"
                            + " Credentials.awsDefaultChain().");
                }
                if (c instanceof Credentials.AwsWebIdentity) {
                    throw new InvalidPlanException(where + ": web identity (IRSA) credentials belong to Velero's own service"
                            + " account: annotate it with the role (eks.amazonaws.com/role-arn) and give this location"
                            + " Credentials.awsDefaultChain().");
                }
            }
            case "azure" -> {
                if (c instanceof Credentials.AzureAccountKey k) {
                    config.putIfAbsent("storageAccount", k.accountName());
                    config.put("storageAccountKeyEnvVar", AZURE_KEY_VAR);
                    return AZURE_KEY_VAR + "=" + k.accountKey() + "\nAZURE_CLOUD_NAME=AzurePublicCloud\n";
                }
                if (c instanceof Credentials.AzureServicePrincipal sp) {
                    config.put("useAAD", "true");
                    return azureEnv(config, "AZURE_TENANT_ID=" + sp.tenantId() + "\nAZURE_CLIENT_ID=" + sp.clientId()
                            + "\nAZURE_CLIENT_SECRET=" + sp.clientSecret() + "\n");
                }
                if (c instanceof Credentials.AzureManagedIdentity mi) {
                    config.put("useAAD", "true");
                    return azureEnv(config, mi.clientId() == null ? "" : "AZURE_CLIENT_ID=" + mi.clientId() + "\n");
                }
                if (c instanceof Credentials.AzureWorkloadIdentity) {
                    config.put("useAAD", "true");
                    return null;
                }
                if (c instanceof Credentials.AzureSas) {
                    throw new InvalidPlanException(where + ": Velero's Azure plugin cannot use a SAS token; give an account key"
                            + " (Credentials.azureAccountKey) or a service principal, or use KBackup.direct(client).");
                }
            }
            default -> {
                if (c instanceof Credentials.GcsServiceAccountJson j) {
                    return j.json();
                }
                if (c instanceof Credentials.GcsApplicationDefault) {
                    return null;
                }
            }
        }
        throw new InvalidPlanException(where + ": credentials of kind " + c.kind() + " do not fit a " + location.provider()
                + " location.");
    }

    private static String awsProfile(String profile, Credentials.AwsStatic s) {
        StringBuilder sb = new StringBuilder("[").append(profile).append("]\naws_access_key_id=").append(s.accessKeyId())
                .append("\naws_secret_access_key=").append(s.secretAccessKey()).append('\n');
        if (s.sessionToken() != null) {
            sb.append("aws_session_token=").append(s.sessionToken()).append('\n');
        }
        return sb.toString();
    }

    private static String azureEnv(Map<String, String> config, String identity) {
        StringBuilder sb = new StringBuilder(identity);
        if (config.containsKey("subscriptionId")) {
            sb.append("AZURE_SUBSCRIPTION_ID=").append(config.get("subscriptionId")).append('\n');
        }
        if (config.containsKey("resourceGroup")) {
            sb.append("AZURE_RESOURCE_GROUP=").append(config.get("resourceGroup")).append('\n');
        }
        return sb.append("AZURE_CLOUD_NAME=AzurePublicCloud\n").toString();
    }
}

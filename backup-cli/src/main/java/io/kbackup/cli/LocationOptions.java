package io.kbackup.cli;

import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Where the backups are: a backup location from options, a properties file and the environment
 * (in that order of precedence), and its credentials from a credentials file or the environment.
 * Secret values are registered with {@link Secrets} as they are read and never echoed.
 */
final class LocationOptions {

    @Option(names = "--location-file", paramLabel = "FILE", order = 10,
            description = "Properties file with provider, bucket, prefix, region, endpoint, folder, name, config.<key>=... "
                    + "(and optionally the credential keys). Env: KBACKUP_LOCATION_FILE.")
    Path locationFile;

    @Option(names = "--provider", paramLabel = "ID", order = 11,
            description = "local, s3, minio, azure or gcs. Env: KBACKUP_PROVIDER.")
    String provider;

    @Option(names = "--folder", paramLabel = "DIR", order = 12,
            description = "A local folder as the location (provider local). Env: KBACKUP_FOLDER.")
    Path folder;

    @Option(names = "--bucket", paramLabel = "NAME", order = 13,
            description = "Bucket (Azure: container). Env: KBACKUP_BUCKET.")
    String bucket;

    @Option(names = "--prefix", paramLabel = "PATH", order = 14, description = "Path inside the bucket. Env: KBACKUP_PREFIX.")
    String prefix;

    @Option(names = "--region", paramLabel = "REGION", order = 15, description = "Region (S3). Env: KBACKUP_REGION.")
    String region;

    @Option(names = "--endpoint", paramLabel = "URL", order = 16,
            description = "Endpoint URL (MinIO, S3-compatible). Env: KBACKUP_ENDPOINT.")
    String endpoint;

    @Option(names = "--location-name", paramLabel = "NAME", order = 17,
            description = "The location's name (default: default). Env: KBACKUP_LOCATION_NAME.")
    String name;

    @Option(names = "--config", paramLabel = "KEY=VALUE", order = 18,
            description = "Provider setting with Velero's key names (s3ForcePathStyle, storageAccount, caCert, ...); repeatable.")
    Map<String, String> config = new LinkedHashMap<>();

    @Option(names = "--credentials-file", paramLabel = "FILE", order = 19,
            description = "Credentials: Velero's AWS file ([default] aws_access_key_id=...), an Azure env file "
                    + "(AZURE_STORAGE_ACCOUNT_ACCESS_KEY=... or AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET), "
                    + "or a GCS service-account JSON. Env: KBACKUP_CREDENTIALS_FILE.")
    Path credentialsFile;

    @Option(names = "--credentials", paramLabel = "TYPE", order = 20,
            description = "aws-static, aws-assume-role, aws-web-identity, aws-default-chain, azure-account-key, azure-sas, "
                    + "azure-service-principal, azure-managed-identity, azure-workload-identity, gcs-service-account, "
                    + "gcs-application-default or none (default: from the file or the environment, else the provider's default). "
                    + "Values come from the credentials file, else the environment (AWS_ACCESS_KEY_ID, "
                    + "AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE, "
                    + "AZURE_STORAGE_KEY, AZURE_STORAGE_SAS_TOKEN, AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, "
                    + "GOOGLE_APPLICATION_CREDENTIALS). Env: KBACKUP_CREDENTIALS.")
    String credentialsType;

    /** Builds the location; {@code env} is the process environment (a parameter for tests). */
    BackupLocation build(Secrets secrets, Map<String, String> env) {
        Properties file = new Properties();
        Path locFile = locationFile != null ? locationFile : pathOrNull(env.get("KBACKUP_LOCATION_FILE"));
        if (locFile != null) {
            file = readProperties(locFile, "location file");
            for (String key : file.stringPropertyNames()) {
                if (isSecretKey(key)) {
                    secrets.add(file.getProperty(key));
                }
            }
        }
        String folderValue = folder != null ? folder.toString() : first(file.getProperty("folder"), env.get("KBACKUP_FOLDER"));
        String providerValue = first(provider, file.getProperty("provider"), env.get("KBACKUP_PROVIDER"),
                folderValue != null ? BackupLocation.LOCAL : null);
        if (providerValue == null) {
            throw new CliException("No backup location: give --folder DIR, or --provider with --bucket, or --location-file FILE "
                    + "(or set KBACKUP_PROVIDER and KBACKUP_BUCKET).", ExitCodes.USAGE);
        }
        providerValue = providerValue.strip().toLowerCase(Locale.ROOT);
        BackupLocation.Builder b;
        if (providerValue.equals(BackupLocation.LOCAL)) {
            String dir = first(folderValue, bucket, file.getProperty("bucket"), env.get("KBACKUP_BUCKET"));
            if (dir == null) {
                throw new CliException("A local location needs a folder: give --folder DIR.", ExitCodes.USAGE);
            }
            b = BackupLocation.localFolder(Path.of(dir));
        } else {
            b = BackupLocation.builder().provider(providerValue)
                    .bucket(first(bucket, file.getProperty("bucket"), env.get("KBACKUP_BUCKET")));
        }
        String prefixValue = first(prefix, file.getProperty("prefix"), env.get("KBACKUP_PREFIX"));
        if (prefixValue != null) {
            b.prefix(prefixValue);
        }
        String regionValue = first(region, file.getProperty("region"), env.get("KBACKUP_REGION"));
        if (regionValue != null) {
            b.region(regionValue);
        } else if (providerValue.equals("minio")) {
            b.region("us-east-1");
        }
        String endpointValue = first(endpoint, file.getProperty("endpoint"), env.get("KBACKUP_ENDPOINT"));
        if (endpointValue != null) {
            registerUserInfo(endpointValue, secrets);
            b.endpoint(endpointValue);
        }
        String nameValue = first(name, file.getProperty("name"), env.get("KBACKUP_LOCATION_NAME"));
        if (nameValue != null) {
            b.name(nameValue);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : file.stringPropertyNames()) {
            if (key.startsWith("config.")) {
                settings.put(key.substring("config.".length()), file.getProperty(key));
            }
        }
        if (providerValue.equals("azure") && env.get("AZURE_STORAGE_ACCOUNT") != null) {
            settings.putIfAbsent("storageAccount", env.get("AZURE_STORAGE_ACCOUNT"));
        }
        settings.putAll(config);
        if (!settings.isEmpty()) {
            b.config(settings);
        }
        Credentials credentials = credentials(providerValue, file, settings, secrets, env);
        if (credentials != null) {
            b.credentials(credentials);
        }
        return b.build();
    }

    private Credentials credentials(String providerId, Properties locationFileProps, Map<String, String> settings,
            Secrets secrets, Map<String, String> env) {
        Properties file = new Properties();
        file.putAll(locationFileProps);
        String gcsJson = null;
        Path credFile = credentialsFile != null ? credentialsFile : pathOrNull(env.get("KBACKUP_CREDENTIALS_FILE"));
        if (credFile != null) {
            String text = readText(credFile, "credentials file");
            if (text.stripLeading().startsWith("{")) {
                gcsJson = secrets.add(text);
                registerJsonSecrets(text, secrets);
            } else {
                file.putAll(parseProperties(text, credFile, "credentials file"));
                for (String key : file.stringPropertyNames()) {
                    if (isSecretKey(key)) {
                        secrets.add(file.getProperty(key));
                    }
                }
            }
        }
        Values v = new Values(file, env, secrets);
        String type = first(credentialsType, file.getProperty("credentials"), env.get("KBACKUP_CREDENTIALS"));
        if (type == null) {
            type = inferType(providerId, v, gcsJson != null, credFile != null);
        }
        if (type == null) {
            return null;
        }
        String accountName = settings.get("storageAccount");
        return switch (type.strip().toLowerCase(Locale.ROOT)) {
            case "none" -> Credentials.none();
            case "aws-default-chain", "aws-default" -> Credentials.awsDefaultChain();
            case "aws-static" -> Credentials.awsStatic(v.require("aws_access_key_id", type),
                    v.secret("aws_secret_access_key", type, true), v.secret("aws_session_token", type, false));
            case "aws-assume-role" -> Credentials.awsAssumeRole(v.require("role_arn", type), v.get("external_id"),
                    v.get("duration_seconds") == null ? null : Duration.ofSeconds(Long.parseLong(v.get("duration_seconds"))),
                    v.get("aws_access_key_id") == null ? null : Credentials.awsStatic(v.get("aws_access_key_id"),
                            v.secret("aws_secret_access_key", type, true), v.secret("aws_session_token", type, false)));
            case "aws-web-identity" -> Credentials.awsWebIdentity(v.require("role_arn", type),
                    Path.of(v.require("web_identity_token_file", type)));
            case "azure-account-key" -> Credentials.azureAccountKey(
                    accountName != null ? accountName : v.require("azure_storage_account", type),
                    v.get("azure_storage_account_access_key") != null
                            ? v.secret("azure_storage_account_access_key", type, true) : v.secret("azure_storage_key", type, true));
            case "azure-sas" -> Credentials.azureSas(v.secret("azure_storage_sas_token", type, true));
            case "azure-service-principal" -> Credentials.azureServicePrincipal(v.require("azure_tenant_id", type),
                    v.require("azure_client_id", type), v.secret("azure_client_secret", type, true));
            case "azure-managed-identity" -> Credentials.azureManagedIdentity(v.get("azure_client_id"));
            case "azure-workload-identity" -> Credentials.azureWorkloadIdentity();
            case "gcs-service-account" -> Credentials.gcsServiceAccountJson(gcsJson != null ? gcsJson
                    : gcsJsonFromEnv(v.require("google_application_credentials", type), secrets));
            case "gcs-application-default", "gcs-default" -> Credentials.gcsApplicationDefault();
            default -> throw new CliException("Unknown credentials type '" + type + "': use one of aws-static, aws-assume-role, "
                    + "aws-web-identity, aws-default-chain, azure-account-key, azure-sas, azure-service-principal, "
                    + "azure-managed-identity, azure-workload-identity, gcs-service-account, gcs-application-default, none "
                    + "(the kind() names of io.kbackup.Credentials).", ExitCodes.USAGE);
        };
    }

    private static String inferType(String providerId, Values v, boolean json, boolean fromFile) {
        if (json) {
            return "gcs-service-account";
        }
        switch (providerId) {
            case "s3", "minio" -> {
                if (v.get("role_arn") != null && v.get("web_identity_token_file") != null) {
                    return "aws-web-identity";
                }
                if (v.get("role_arn") != null) {
                    return "aws-assume-role";
                }
                if (v.get("aws_access_key_id") != null) {
                    return "aws-static";
                }
            }
            case "azure" -> {
                if (v.get("azure_client_secret") != null) {
                    return "azure-service-principal";
                }
                if (v.get("azure_storage_account_access_key") != null || v.get("azure_storage_key") != null) {
                    return "azure-account-key";
                }
                if (v.get("azure_storage_sas_token") != null) {
                    return "azure-sas";
                }
            }
            default -> {
                // the provider's default (local: none; gcs: application default credentials)
            }
        }
        if (fromFile) {
            throw new CliException("The credentials file has no credentials kbackup recognises for provider '" + providerId
                    + "'; say which with --credentials TYPE (see --help).", ExitCodes.USAGE);
        }
        return null;
    }

    /** Credential values: from the files (any case of the key), else the environment (upper case). */
    private record Values(Properties file, Map<String, String> env, Secrets secrets) {
        String get(String key) {
            for (String k : file.stringPropertyNames()) {
                if (k.equalsIgnoreCase(key) && !file.getProperty(k).isBlank()) {
                    return file.getProperty(k).strip();
                }
            }
            String fromEnv = env.get(key.toUpperCase(Locale.ROOT));
            if (fromEnv == null && key.equals("role_arn")) {
                fromEnv = env.get("AWS_ROLE_ARN");
            }
            if (fromEnv == null && key.equals("web_identity_token_file")) {
                fromEnv = env.get("AWS_WEB_IDENTITY_TOKEN_FILE");
            }
            return fromEnv == null || fromEnv.isBlank() ? null : fromEnv.strip();
        }

        String require(String key, String type) {
            String value = get(key);
            if (value == null) {
                throw new CliException("Credentials " + type + " need " + key + " in the credentials file or "
                        + key.toUpperCase(Locale.ROOT) + " in the environment.", ExitCodes.USAGE);
            }
            return value;
        }

        String secret(String key, String type, boolean required) {
            String value = required ? require(key, type) : get(key);
            return secrets.add(value);
        }
    }

    private static String gcsJsonFromEnv(String path, Secrets secrets) {
        String json = readText(Path.of(path), "GOOGLE_APPLICATION_CREDENTIALS file");
        registerJsonSecrets(json, secrets);
        return secrets.add(json);
    }

    /** The private key of a service-account JSON, line by line (a message may quote any line of it). */
    private static void registerJsonSecrets(String json, Secrets secrets) {
        try {
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
            for (String field : new String[] {"private_key", "private_key_id", "client_secret", "refresh_token"}) {
                if (node.hasNonNull(field)) {
                    String value = node.get(field).asText();
                    secrets.add(value);
                    for (String line : value.split("\n")) {
                        if (!line.startsWith("-----")) {
                            secrets.add(line);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new CliException("The credentials file is not valid JSON: check that it is a service-account key file.",
                    ExitCodes.USAGE);
        }
    }

    private static void registerUserInfo(String endpointValue, Secrets secrets) {
        try {
            String userInfo = new URI(endpointValue).getRawUserInfo();
            if (userInfo != null && userInfo.contains(":")) {
                secrets.add(userInfo.substring(userInfo.indexOf(':') + 1));
                secrets.add(userInfo);
            }
        } catch (java.net.URISyntaxException e) {
            // BackupLocation.Builder.build() says what is wrong with the URL
        }
    }

    private static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("secret") || k.contains("key") && !k.equals("aws_access_key_id") && !k.startsWith("config.")
                || k.contains("token") && !k.contains("file") || k.contains("password");
    }

    private static Properties readProperties(Path path, String what) {
        return parseProperties(readText(path, what), path, what);
    }

    private static Properties parseProperties(String text, Path path, String what) {
        Properties p = new Properties();
        try (Reader r = new java.io.StringReader(text)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException("Cannot parse the " + what + " " + path + " as KEY=VALUE lines.", ExitCodes.USAGE);
        }
        // Velero's AWS file has a [default] section line; it is not a key
        p.stringPropertyNames().stream().filter(k -> k.startsWith("[")).forEach(p::remove);
        return p;
    }

    private static String readText(Path path, String what) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException("Cannot read the " + what + " " + path + ": " + e.getClass().getSimpleName()
                    + " (check the path and its permissions).", ExitCodes.USAGE);
        }
    }

    private static Path pathOrNull(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}

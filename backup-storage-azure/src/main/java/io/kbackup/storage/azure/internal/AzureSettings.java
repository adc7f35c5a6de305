package io.kbackup.storage.azure.internal;

import com.azure.storage.blob.BlobServiceVersion;
import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.spi.support.LocationConfig;
import io.kbackup.storage.azure.AzureConfig;
import io.kbackup.storage.azure.AzureStorageProviderFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An {@code azure} location's settings, checked: everything a provider needs to build its clients.
 *
 * @param container      the container name
 * @param account        the storage account name, or {@code null} when only the endpoint names it
 * @param endpoint       the blob service URL, without trailing {@code /}
 * @param blockSize      bytes per staged block
 * @param serviceVersion the REST API version to send
 * @param credentials    the credentials
 */
public record AzureSettings(String container, String account, String endpoint, int blockSize,
        BlobServiceVersion serviceVersion, Credentials credentials) {

    // https://learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata
    private static final Pattern CONTAINER = Pattern.compile("\\$root|[a-z0-9](?!.*--)[-a-z0-9]{1,61}[a-z0-9]");
    private static final Pattern ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");

    /** Checks and reads an {@code azure} location. */
    public static AzureSettings from(BackupLocation location) {
        String where = "Backup location '" + location.name() + "' (azure)";
        if (!AzureStorageProviderFactory.ID.equals(location.provider())) {
            throw new InvalidPlanException(where + ": provider is '" + location.provider()
                    + "', expected 'azure'.");
        }
        Map<String, String> config = location.config();
        String container = location.bucket();
        if (!CONTAINER.matcher(container).matches()) {
            throw new InvalidPlanException(where + ": container '" + container + "' is not a valid container name:"
                    + " use 3-63 lower-case letters, digits and single '-', starting and ending with a letter or digit.");
        }
        Credentials credentials = location.credentials();
        String account = LocationConfig.text(config, AzureConfig.STORAGE_ACCOUNT);
        if (credentials instanceof Credentials.AzureAccountKey key) {
            if (account != null && !account.equals(key.accountName())) {
                throw new InvalidPlanException(where + ": config " + AzureConfig.STORAGE_ACCOUNT + " '" + account
                        + "' differs from the account key's account '" + key.accountName()
                        + "'; make them the same storage account.");
            }
            account = key.accountName();
        } else if (!(credentials instanceof Credentials.AzureSas
                || credentials instanceof Credentials.AzureServicePrincipal
                || credentials instanceof Credentials.AzureManagedIdentity
                || credentials instanceof Credentials.AzureWorkloadIdentity
                || credentials instanceof Credentials.None)) {
            throw new InvalidPlanException(where + ": credentials of kind '" + credentials.kind()
                    + "' cannot be used with Azure; use Credentials.azureAccountKey, azureSas, azureServicePrincipal,"
                    + " azureManagedIdentity or azureWorkloadIdentity.");
        }
        if (account != null && !ACCOUNT.matcher(account).matches()) {
            throw new InvalidPlanException(where + ": storage account '" + account
                    + "' is not a valid account name: use 3-24 lower-case letters and digits.");
        }
        String endpoint = location.endpoint().orElse(LocationConfig.text(config, AzureConfig.STORAGE_ACCOUNT_URI));
        if (endpoint == null) {
            if (account == null) {
                throw new InvalidPlanException(where + ": the storage account is unknown; set config '"
                        + AzureConfig.STORAGE_ACCOUNT + "' (BackupLocation.azure(account, container) does) or an endpoint.");
            }
            endpoint = "https://" + account + ".blob.core.windows.net";
        } else {
            URI uri;
            try {
                uri = URI.create(endpoint);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || uri.getHost() == null || uri.getScheme() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new InvalidPlanException(where + ": endpoint '" + endpoint
                        + "' is not an http(s) URL; use e.g. https://mybackups.blob.core.windows.net.");
            }
            if (uri.getRawQuery() != null) {
                throw new InvalidPlanException(where + ": the endpoint must not carry a query string (a SAS token?);"
                        + " pass SAS tokens with Credentials.azureSas.");
            }
            while (endpoint.endsWith("/")) {
                endpoint = endpoint.substring(0, endpoint.length() - 1);
            }
            boolean token = credentials instanceof Credentials.AzureServicePrincipal
                    || credentials instanceof Credentials.AzureManagedIdentity
                    || credentials instanceof Credentials.AzureWorkloadIdentity
                    || credentials instanceof Credentials.None;
            if (token && !uri.getScheme().equals("https")) {
                throw new InvalidPlanException(where + ": credentials of kind '" + credentials.kind()
                        + "' send bearer tokens, which Azure only accepts over https; use an https endpoint, or an"
                        + " account key or SAS token for a local emulator.");
            }
        }
        int blockSize = LocationConfig.wholeNumber(config, AzureConfig.BLOCK_SIZE_IN_BYTES, AzureConfig.DEFAULT_BLOCK_SIZE,
                n -> n >= AzureConfig.MIN_BLOCK_SIZE && n <= AzureConfig.MAX_BLOCK_SIZE, where,
                "a whole number of bytes between " + AzureConfig.MIN_BLOCK_SIZE + " and " + AzureConfig.MAX_BLOCK_SIZE);
        String sv = LocationConfig.text(config, AzureConfig.SERVICE_VERSION);
        BlobServiceVersion version = serviceVersion(sv == null ? AzureConfig.DEFAULT_SERVICE_VERSION : sv.strip(), where);
        return new AzureSettings(container, account, endpoint, blockSize, version, credentials);
    }

    private static BlobServiceVersion serviceVersion(String value, String where) {
        if (value.equalsIgnoreCase("latest")) {
            return BlobServiceVersion.getLatest();
        }
        List<String> known = new ArrayList<>();
        for (BlobServiceVersion v : BlobServiceVersion.values()) {
            if (v.getVersion().equals(value)) {
                return v;
            }
            known.add(v.getVersion());
        }
        throw new InvalidPlanException(where + ": config " + AzureConfig.SERVICE_VERSION + " '" + value
                + "' is not a Blob service version this client knows; use 'latest' or one of "
                + known.subList(Math.max(0, known.size() - 6), known.size()) + ".");
    }

    /** The secrets in the credentials, to scrub from any message. */
    List<String> secrets() {
        if (credentials instanceof Credentials.AzureAccountKey k) {
            return List.of(k.accountKey());
        }
        if (credentials instanceof Credentials.AzureSas s) {
            return List.of(s.sasToken());
        }
        if (credentials instanceof Credentials.AzureServicePrincipal p) {
            return List.of(p.clientSecret());
        }
        return List.of();
    }

    /** A name for messages: the account, or the endpoint. */
    String accountLabel() {
        return account != null ? "storage account '" + account + "'" : "blob endpoint " + endpoint;
    }

    /** Never prints the credentials' secrets. */
    @Override
    public String toString() {
        return "AzureSettings[container=" + container + ", account=" + account + ", endpoint=" + endpoint
                + ", blockSize=" + blockSize + ", serviceVersion=" + serviceVersion.getVersion()
                + ", credentials=" + credentials.kind() + "]";
    }
}

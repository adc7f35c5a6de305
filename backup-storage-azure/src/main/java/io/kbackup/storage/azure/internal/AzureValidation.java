package io.kbackup.storage.azure.internal;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.kbackup.Credentials;
import io.kbackup.ValidationResult;
import io.kbackup.spi.support.CauseChain;

/**
 * {@link AzureStorageProvider#validate()}: lists one blob through the single-try clients and turns
 * each kind of failure (container missing, credentials refused, access denied, endpoint
 * unreachable) into a problem that says what to fix for the location's kind of credentials.
 */
final class AzureValidation {

    private final AzureSettings settings;
    private final AzureErrors errors;
    private final BlobContainerClient validationContainer;

    AzureValidation(AzureSettings settings, AzureErrors errors, BlobContainerClient validationContainer) {
        this.settings = settings;
        this.errors = errors;
        this.validationContainer = validationContainer;
    }

    /** Lists one blob of the container; a failure becomes a problem saying what to fix. */
    ValidationResult validate() {
        String where = settings.accountLabel() + ", container '" + settings.container() + "'";
        try {
            validationContainer.listBlobs(new ListBlobsOptions().setMaxResultsPerPage(1), AzureClients.VALIDATE_TIMEOUT)
                    .iterableByPage(1).iterator().next();
            return ValidationResult.ok();
        } catch (BlobStorageException e) {
            String detail = errors.describe(e);
            if (e.getStatusCode() == 404 && e.getErrorCode() != null
                    && e.getErrorCode().toString().equals("ContainerNotFound")) {
                return ValidationResult.failed(ValidationResult.Kind.BUCKET_MISSING,
                        "Container '" + settings.container() + "' does not exist in " + settings.accountLabel()
                                + " (" + detail + ").",
                        "Create the container (az storage container create --name " + settings.container()
                                + (settings.account() != null ? " --account-name " + settings.account() : "")
                                + ") or correct the location's bucket.");
            }
            if (e.getStatusCode() == 401 || e.getStatusCode() == 403) {
                if (AzureErrors.isBadCredentials(e)) {
                    return ValidationResult.failed(ValidationResult.Kind.BAD_CREDENTIALS,
                            "Azure Blob " + where + " refused the " + settings.credentials().kind()
                                    + " credentials (" + detail + ").",
                            fixCredentials());
                }
                return ValidationResult.failed(ValidationResult.Kind.ACCESS_DENIED,
                        "Azure Blob " + where + " denied listing the container with the "
                                + settings.credentials().kind() + " credentials (" + detail + ").",
                        "Grant the identity 'Storage Blob Data Contributor' on the container or account, give the SAS"
                                + " token read, add, create, write, delete and list permissions, or allow this"
                                + " network in the storage account's firewall.");
            }
            return ValidationResult.failed(ValidationResult.Kind.OTHER,
                    "Azure Blob " + where + " answered " + detail + ".",
                    "Check the location's settings against the service's message; retry if the service was busy.");
        } catch (ClientAuthenticationException e) {
            if (settings.credentials() instanceof Credentials.None) {
                return ValidationResult.failed(ValidationResult.Kind.BAD_CREDENTIALS,
                        "No usable Azure credentials for " + where + ": the location gives none, and none of Azure's"
                                + " default sources had any (AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, workload"
                                + " identity, managed identity, az login).",
                        "Give the location an account key, a SAS token or a service principal, or set up one of those"
                                + " sources.");
            }
            return ValidationResult.failed(ValidationResult.Kind.BAD_CREDENTIALS,
                    "Could not obtain an Azure AD token with the " + settings.credentials().kind() + " credentials: "
                            + CauseChain.firstLine(errors.scrub(e.getMessage())) + ".",
                    fixCredentials());
        } catch (RuntimeException e) {
            Throwable cause = AzureErrors.unreachableCause(e);
            if (cause != null) {
                return ValidationResult.failed(ValidationResult.Kind.UNREACHABLE,
                        "Cannot reach the Azure Blob endpoint " + settings.endpoint() + ": "
                                + cause.getClass().getSimpleName() + ": "
                                + CauseChain.firstLine(errors.scrub(cause.getMessage())) + ".",
                        "Check the endpoint or storage account name, DNS, proxy and firewall; the service must answer"
                                + " within " + AzureClients.VALIDATE_TIMEOUT.toSeconds() + " s.");
            }
            return ValidationResult.failed(ValidationResult.Kind.OTHER,
                    errors.map(e, "listing the container", null).getMessage(),
                    "Check the location's settings and credentials.");
        }
    }

    private String fixCredentials() {
        Credentials c = settings.credentials();
        if (c instanceof Credentials.AzureAccountKey) {
            return "Use a current access key of the storage account (az storage account keys list).";
        }
        if (c instanceof Credentials.AzureSas) {
            return "Use a SAS token signed for this account and container that has not expired.";
        }
        if (c instanceof Credentials.AzureServicePrincipal) {
            return "Check the tenant id, client id and client secret (not expired) of the service principal.";
        }
        if (c instanceof Credentials.AzureManagedIdentity) {
            return "Assign the managed identity to this VM or pod, and pass its client id for a user-assigned one.";
        }
        if (c instanceof Credentials.AzureWorkloadIdentity) {
            return "Check the federated credential of the app registration and the pod's service account annotation.";
        }
        return "Pass credentials for the storage account.";
    }
}

package io.kbackup.storage.azure.internal;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import io.kbackup.Credentials;

/** The Entra ID token credential of kbackup's Azure credential kinds, shared by Blob storage and Key Vault. */
public final class AzureTokenCredentials {

    private AzureTokenCredentials() {
    }

    /**
     * A service principal, managed identity or workload identity credential; {@code DefaultAzureCredential}
     * for any other kind (or {@code null}). azure-identity throws unchecked exceptions when one cannot
     * be set up: callers turn them into messages that say what to fix.
     */
    public static TokenCredential of(Credentials c) {
        if (c instanceof Credentials.AzureServicePrincipal p) {
            return new ClientSecretCredentialBuilder().tenantId(p.tenantId()).clientId(p.clientId()).clientSecret(p.clientSecret()).build();
        }
        if (c instanceof Credentials.AzureManagedIdentity m) {
            ManagedIdentityCredentialBuilder b = new ManagedIdentityCredentialBuilder();
            if (m.clientId() != null && !m.clientId().isBlank()) {
                b.clientId(m.clientId());
            }
            return b.build();
        }
        if (c instanceof Credentials.AzureWorkloadIdentity) {
            return new WorkloadIdentityCredentialBuilder().build();
        }
        return new DefaultAzureCredentialBuilder().build();
    }
}

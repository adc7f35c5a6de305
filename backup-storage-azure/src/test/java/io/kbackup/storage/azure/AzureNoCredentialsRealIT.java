package io.kbackup.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.Credentials;
import io.kbackup.ValidationResult;
import io.kbackup.testkit.servers.ServerExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code validate()} with no credentials anywhere, next to Azurite: Azure's default chain finds no
 * token before any request is sent, and the problem says so in one short line. (A token is only
 * sent over https, so the location names Azurite's port with https; the request never goes out.)
 */
class AzureNoCredentialsRealIT {
    @RegisterExtension
    static final ServerExtension<Azurite> AZURITE = Azurite.withContainer("kbackup-nocreds");

    @Test
    void noCredentialsAnywhereIsBadCredentialsNamingTheDefaultSources() {
        Assumptions.assumeTrue(System.getenv("AZURE_CLIENT_ID") == null, "this environment has default credentials");
        ValidationResult result = AZURITE.get().location("kbackup-nocreds")
                .endpoint(AZURITE.get().endpoint().replace("http:", "https:")).credentials(Credentials.none()).build().validate();
        assertThat(result.has(ValidationResult.Kind.BAD_CREDENTIALS)).as(result.toString()).isTrue();
        assertThat(result.problems().get(0).message()).startsWith("No usable Azure credentials")
                .contains("AZURE_CLIENT_ID", "managed identity").doesNotContain("inner exception");
        assertThat(result.toString()).hasSizeLessThan(500);
    }
}

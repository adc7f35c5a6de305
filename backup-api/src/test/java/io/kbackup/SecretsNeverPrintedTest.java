package io.kbackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** toString of every credential kind, and of a location holding it, never shows a secret value. */
class SecretsNeverPrintedTest {

    private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";
    private static final String SESSION = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN";
    private static final String EXTERNAL_ID = "external-id-EXAMPLE-77";
    private static final String ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq";
    private static final String SAS = "sv=2024-01-01&sig=SASSIGNATUREEXAMPLE";
    private static final String CLIENT_SECRET = "client-secret-EXAMPLE-Q~x";
    private static final String SA_JSON = "{\"type\":\"service_account\",\"private_key\":\"-----BEGIN PRIVATE KEY-----EXAMPLE\"}";

    private static final List<String> SECRETS = List.of(SECRET, SESSION, EXTERNAL_ID, ACCOUNT_KEY, SAS,
            CLIENT_SECRET, SA_JSON, "private_key", ACCESS_KEY);

    private static List<Credentials> everyKind() {
        Credentials awsStatic = Credentials.awsStatic(ACCESS_KEY, SECRET, SESSION);
        return List.of(
                awsStatic,
                Credentials.awsStatic(ACCESS_KEY, SECRET),
                Credentials.awsAssumeRole("arn:aws:iam::123456789012:role/backup", EXTERNAL_ID, Duration.ofHours(1), awsStatic),
                Credentials.awsWebIdentity("arn:aws:iam::123456789012:role/backup", Path.of("/var/run/secrets/token")),
                Credentials.awsDefaultChain(),
                Credentials.azureAccountKey("account1", ACCOUNT_KEY),
                Credentials.azureSas(SAS),
                Credentials.azureServicePrincipal("tenant-1", "client-1", CLIENT_SECRET),
                Credentials.azureManagedIdentity("client-2"),
                Credentials.azureWorkloadIdentity(),
                Credentials.gcsServiceAccountJson(SA_JSON),
                Credentials.gcsApplicationDefault(),
                Credentials.none());
    }

    @Test
    void everyCredentialKindIsCovered() {
        Set<Class<?>> covered = everyKind().stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrder(Credentials.class.getPermittedSubclasses());
    }

    @Test
    void credentialsToStringShowsNoSecret() {
        for (Credentials c : everyKind()) {
            String text = c.toString();
            for (String secret : SECRETS) {
                assertThat(text).as("%s toString", c.kind()).doesNotContain(secret);
            }
            assertThat(c.kind()).isNotBlank();
        }
    }

    @Test
    void credentialsToStringKeepsNonSecretFieldsReadable() {
        assertThat(Credentials.awsStatic(ACCESS_KEY, SECRET).toString()).contains("AKIA****");
        assertThat(Credentials.azureAccountKey("account1", ACCOUNT_KEY).toString()).contains("account1");
        assertThat(Credentials.azureServicePrincipal("tenant-1", "client-1", CLIENT_SECRET).toString())
                .contains("tenant-1", "client-1");
    }

    @Test
    void locationToStringShowsCredentialKindAndConfigKeysOnly() {
        for (Credentials c : everyKind()) {
            BackupLocation location = BackupLocation.builder().provider("s3").bucket("b")
                    .config("kmsKeyId", SECRET).credentials(c).build();
            String text = location.toString();
            for (String secret : SECRETS) {
                assertThat(text).as("location with %s", c.kind()).doesNotContain(secret);
            }
            assertThat(text).contains(c.kind()).contains("kmsKeyId");
        }
    }

    @Test
    void invalidCredentialsSayWhichFieldWithoutEchoingValues() {
        assertThatThrownBy(() -> Credentials.awsStatic(ACCESS_KEY, " "))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("secretAccessKey")
                .hasMessageNotContaining(ACCESS_KEY);
        assertThatThrownBy(() -> Credentials.awsAssumeRole("arn:role", null, Duration.ofMinutes(5), null))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("sessionDuration");
        assertThatThrownBy(() -> Credentials.awsAssumeRole("arn:role", null, null, Credentials.azureSas(SAS)))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("azure-sas")
                .hasMessageNotContaining(SAS);
    }

    @Test
    void permittedKindsHaveDistinctNames() {
        List<String> kinds = everyKind().stream().map(Credentials::kind).distinct().toList();
        assertThat(kinds).hasSize((int) Arrays.stream(Credentials.class.getPermittedSubclasses()).count());
    }
}

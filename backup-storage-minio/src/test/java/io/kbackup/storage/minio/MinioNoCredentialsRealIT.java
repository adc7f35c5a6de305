package io.kbackup.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.Credentials;
import io.kbackup.ValidationResult;
import io.kbackup.testkit.servers.MinioServer;
import io.kbackup.testkit.servers.ServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code validate()} against a real MinIO server when no credentials are there: one short line saying so. */
class MinioNoCredentialsRealIT {
    static final String BUCKET = "kbackup-nocreds";

    @RegisterExtension
    static final ServerExtension<MinioServer> MINIO = ServerExtension.of(MinioServer::start, m -> m.createBucket(BUCKET));

    private static ValidationResult validate(Credentials credentials) {
        return MinioProviderContractRealIT.rootLocation(MINIO.get(), BUCKET).credentials(credentials).build().validate();
    }

    @Test
    void anEmptyDefaultChainIsBadCredentialsNamingItsSources() {
        Assumptions.assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null && System.getenv("MINIO_ACCESS_KEY") == null
                && !Files.exists(Path.of(System.getProperty("user.home"), ".aws", "credentials")),
                "this environment has default credentials");
        ValidationResult result = validate(Credentials.awsDefaultChain());
        assertThat(result.has(ValidationResult.Kind.BAD_CREDENTIALS)).as(result.toString()).isTrue();
        assertThat(result.problems().get(0).message()).startsWith("No usable credentials for s3://" + BUCKET)
                .contains("AWS_ACCESS_KEY_ID", "~/.aws/credentials");
        assertThat(result.toString()).hasSizeLessThan(500);
    }

    @Test
    void noCredentialsAtAllIsAnAnonymousRequestTheServerRefused() {
        ValidationResult result = validate(Credentials.none());
        assertThat(result.has(ValidationResult.Kind.ACCESS_DENIED)).as(result.toString()).isTrue();
        assertThat(result.problems().get(0).message()).contains("anonymous", "AccessDenied");
        assertThat(result.problems().get(0).fix()).contains("Credentials.awsStatic");
        assertThat(result.toString()).hasSizeLessThan(500);
    }
}

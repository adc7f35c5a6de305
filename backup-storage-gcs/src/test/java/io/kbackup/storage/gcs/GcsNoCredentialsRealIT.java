package io.kbackup.storage.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.Credentials;
import io.kbackup.ValidationResult;
import io.kbackup.testkit.servers.FakeGcsServer;
import io.kbackup.testkit.servers.ServerExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code validate()} against fake-gcs-server when application default credentials are nowhere: one short line. */
class GcsNoCredentialsRealIT {
    static final String BUCKET = "kbackup-nocreds";

    @RegisterExtension
    static final ServerExtension<FakeGcsServer> GCS = ServerExtension.of(FakeGcsServer::start, g -> g.createBucket(BUCKET));

    @Test
    void missingApplicationDefaultCredentialsAreBadCredentialsNamingTheirSources() {
        Assumptions.assumeTrue(System.getenv("GOOGLE_APPLICATION_CREDENTIALS") == null, "this environment has default credentials");
        ValidationResult result = GcsFakeServerContractRealIT.location(GCS.get(), BUCKET)
                .credentials(Credentials.gcsApplicationDefault()).build().validate();
        assertThat(result.has(ValidationResult.Kind.BAD_CREDENTIALS)).as(result.toString()).isTrue();
        assertThat(result.problems().get(0).message()).startsWith("Google Cloud Storage bucket '" + BUCKET + "': No usable")
                .contains("GOOGLE_APPLICATION_CREDENTIALS").doesNotContain("..");
        assertThat(result.toString()).hasSizeLessThan(600);
    }
}

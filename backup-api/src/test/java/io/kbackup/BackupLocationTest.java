package io.kbackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackupLocationTest {

    @Test
    void defaultsAreVelerosDefaultNameAndNoCredentials() {
        BackupLocation location = BackupLocation.builder().provider("s3").bucket("b").build();
        assertThat(location.name()).isEqualTo("default");
        assertThat(location.prefix()).isEmpty();
        assertThat(location.keyPrefix()).isEmpty();
        assertThat(location.region()).isEmpty();
        assertThat(location.endpoint()).isEmpty();
        assertThat(location.config()).isEmpty();
        assertThat(location.credentials()).isInstanceOf(Credentials.None.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Prod", "-prod", "prod-", "prod_1", "a.b", ""})
    void refusesANameThatIsNotADnsLabel(String name) {
        assertThatThrownBy(() -> BackupLocation.s3("b").name(name).build())
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("name")
                .hasMessageContaining("DNS label");
    }

    @Test
    void refusesANameLongerThan63Characters() {
        assertThatThrownBy(() -> BackupLocation.s3("b").name("a".repeat(64)).build())
                .isInstanceOf(InvalidPlanException.class);
        assertThat(BackupLocation.s3("b").name("a".repeat(63)).build().name()).hasSize(63);
    }

    @Test
    void requiresProviderAndBucket() {
        assertThatThrownBy(() -> BackupLocation.builder().bucket("b").build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("provider is required");
        assertThatThrownBy(() -> BackupLocation.builder().provider("s3").bucket(" ").build())
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("bucket");
    }

    @Test
    void trimsSlashesAroundThePrefix() {
        BackupLocation location = BackupLocation.s3("b").prefix("/prod/cluster-1/").build();
        assertThat(location.prefix()).isEqualTo("prod/cluster-1");
        assertThat(location.keyPrefix()).isEqualTo("prod/cluster-1/");
        assertThat(BackupLocation.s3("b").prefix(null).build().prefix()).isEmpty();
        assertThat(BackupLocation.s3("b").prefix("///").build().keyPrefix()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a//b", "a/../b", "..", "./a", "a/."})
    void refusesAPrefixWithEmptyDotOrDotDotSegments(String prefix) {
        assertThatThrownBy(() -> BackupLocation.s3("b").prefix(prefix).build())
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("prefix");
    }

    @ParameterizedTest
    @ValueSource(strings = {"minio.local:9000", "ftp://minio.local", "http://", "not a url"})
    void refusesAnEndpointThatIsNotAnHttpUrl(String endpoint) {
        assertThatThrownBy(() -> BackupLocation.s3("b").endpoint(endpoint).build())
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("endpoint");
    }

    @Test
    void acceptsHttpAndHttpsEndpoints() {
        assertThat(BackupLocation.minio("http://127.0.0.1:9000", "b").build().endpoint()).hasValue("http://127.0.0.1:9000");
        assertThat(BackupLocation.s3("b").endpoint("https://s3.example.com").build().endpoint()).isPresent();
    }

    @Test
    void localFolderIsAnAbsoluteNormalizedPathWithNoCredentials() {
        BackupLocation location = BackupLocation.localFolder(Path.of("relative/../dir")).build();
        assertThat(location.provider()).isEqualTo(BackupLocation.LOCAL);
        assertThat(Path.of(location.bucket())).isAbsolute();
        assertThat(location.bucket()).endsWith("dir").doesNotContain("..");
        assertThat(location.credentials()).isInstanceOf(Credentials.None.class);
    }

    @Test
    void configIsACopyAndUnmodifiable() {
        Map<String, String> config = new HashMap<>(Map.of("storageAccount", "acct"));
        BackupLocation.Builder builder = BackupLocation.builder().provider("azure").bucket("c").config(config);
        BackupLocation location = builder.build();
        config.put("later", "x");
        builder.config("afterBuild", "y");
        assertThat(location.config()).containsOnlyKeys("storageAccount");
        assertThatThrownBy(() -> location.config().put("k", "v")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(BackupLocation.azure("acct", "c").config("storageAccount", null).build().config()).isEmpty();
    }

    @Test
    void toBuilderRoundTripsEveryField() {
        BackupLocation location = BackupLocation.s3("b").name("prod").prefix("p").region("eu-west-1")
                .endpoint("https://s3.example.com").config("serverSideEncryption", "AES256")
                .credentials(Credentials.awsStatic("AKIAEXAMPLE", "secret")).build();
        assertThat(location.toBuilder().build()).isEqualTo(location).hasSameHashCodeAs(location);
        assertThat(location.toBuilder().region("us-east-1").build()).isNotEqualTo(location);
    }

    @Test
    void factoriesSetTheirProviderIds() {
        assertThat(BackupLocation.s3("b").build().provider()).isEqualTo("s3");
        assertThat(BackupLocation.s3("b").build().credentials()).isInstanceOf(Credentials.AwsDefaultChain.class);
        assertThat(BackupLocation.minio("http://127.0.0.1:9000", "b").build().provider()).isEqualTo("minio");
        assertThat(BackupLocation.azure("acct", "c").build().config()).containsEntry("storageAccount", "acct");
        assertThat(BackupLocation.gcs("b").build().credentials()).isInstanceOf(Credentials.GcsApplicationDefault.class);
    }
}

package io.kbackup.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.BackupLocation;
import io.kbackup.InvalidPlanException;
import io.kbackup.ValidationResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageProvidersTest {

    @TempDir
    Path tmp;

    @Test
    void findsADiscoveredFactoryById() {
        StorageProviders providers = StorageProviders.discover(TestFactories.loaderWith(tmp, TestFactories.Alpha.class,
                TestFactories.Beta.class));
        assertThat(providers.factory("alpha")).isInstanceOf(TestFactories.Alpha.class);
        assertThat(providers.factory("beta")).isInstanceOf(TestFactories.Beta.class);
        assertThat(providers.installedIds()).containsExactly("alpha", "beta");
    }

    @Test
    void unknownKnownIdListsInstalledIdsAndTheArtifactToAdd() {
        StorageProviders providers = StorageProviders.discover(TestFactories.loaderWith(tmp, TestFactories.Beta.class))
                .with(new TestFactories.Alpha());
        assertThatThrownBy(() -> providers.factory("s3"))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("'s3'")
                .hasMessageContaining("Installed: [alpha, beta]")
                .hasMessageContaining("io.kbackup:backup-storage-s3");
        assertThatThrownBy(() -> providers.factory("local"))
                .hasMessageContaining("io.kbackup:backup-core");
        assertThatThrownBy(() -> providers.factory("memory"))
                .hasMessageContaining("io.kbackup:backup-testkit");
    }

    @Test
    void unknownUnheardOfIdListsInstalledAndKnownIds() {
        StorageProviders providers = StorageProviders.discover(TestFactories.loaderWith(tmp, TestFactories.Beta.class));
        assertThatThrownBy(() -> providers.factory("ftp"))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("'ftp'")
                .hasMessageContaining("Installed: [beta]")
                .hasMessageContaining("[azure, gcs, local, memory, minio, s3]")
                .satisfies(e -> assertThat(((InvalidPlanException) e).retryable()).isFalse());
    }

    @Test
    void twoDiscoveredFactoriesWithOneIdFailLoudly() {
        StorageProviders providers = StorageProviders.discover(TestFactories.loaderWith(tmp,
                TestFactories.DupOne.class, TestFactories.DupTwo.class, TestFactories.Beta.class));
        assertThatThrownBy(() -> providers.factory("dup"))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("'dup'")
                .hasMessageContaining(TestFactories.DupOne.class.getName())
                .hasMessageContaining(TestFactories.DupTwo.class.getName())
                .hasMessageContaining("StorageProviders.with(factory)");
        assertThat(providers.factory("beta")).as("other ids still resolve").isInstanceOf(TestFactories.Beta.class);
    }

    @Test
    void explicitFactoryWinsOverADiscoveredOne() {
        TestFactories.ExplicitBeta explicit = new TestFactories.ExplicitBeta();
        StorageProviders providers = StorageProviders.discover(TestFactories.loaderWith(tmp, TestFactories.Beta.class))
                .with(explicit);
        assertThat(providers.factory("beta")).isSameAs(explicit);

        BackupLocation location = BackupLocation.builder().provider("beta").bucket("b").config("only-explicit", "1").build();
        try (StorageProvider storage = providers.open(location)) {
            assertThat(((TestFactories.NamedProvider) storage).madeBy).isEqualTo("ExplicitBeta");
        }
        assertThat(explicit.created).containsExactly(location);
    }

    @Test
    void explicitFactoryResolvesAnIdThatDiscoveryHasTwiceOf() {
        TestFactories.ExplicitDup explicit = new TestFactories.ExplicitDup();
        StorageProviders providers = StorageProviders.discover(TestFactories.loaderWith(tmp,
                TestFactories.DupOne.class, TestFactories.DupTwo.class)).with(explicit);
        assertThat(providers.factory("dup")).isSameAs(explicit);
    }

    @Test
    void withReturnsACopyAndLeavesTheOriginalUnchanged() {
        StorageProviders base = StorageProviders.discover(TestFactories.loaderWith(tmp));
        StorageProviders withAlpha = base.with(new TestFactories.Alpha());
        assertThat(withAlpha.installedIds()).containsExactly("alpha");
        assertThat(base.installedIds()).isEmpty();
        assertThatThrownBy(() -> base.factory("alpha")).isInstanceOf(InvalidPlanException.class);
    }

    @Test
    void unknownConfigKeysFailWithTheValidOnesBeforeCreate() {
        TestFactories.Alpha alpha = new TestFactories.Alpha();
        StorageProviders providers = StorageProviders.discover(TestFactories.loaderWith(tmp)).with(alpha);
        BackupLocation location = BackupLocation.builder().name("prod").provider("alpha").bucket("b")
                .config("tier", "cold").config("bogus", "1").config("zzz", "2").build();
        assertThatThrownBy(() -> providers.open(location))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("'prod'")
                .hasMessageContaining("[bogus, zzz]")
                .hasMessageContaining("Valid keys: [endpointStyle, tier]");
        assertThat(alpha.created).as("create is not called").isEmpty();
    }

    @Test
    void openPassesAValidLocationToItsFactory() {
        TestFactories.Alpha alpha = new TestFactories.Alpha();
        StorageProviders providers = StorageProviders.discover(TestFactories.loaderWith(tmp)).with(alpha);
        BackupLocation location = BackupLocation.builder().provider("alpha").bucket("b").config("tier", "hot").build();
        try (StorageProvider storage = providers.open(location)) {
            assertThat(storage.id()).isEqualTo("alpha");
        }
        assertThat(alpha.created).containsExactly(location);
    }

    @Test
    void locationValidateReportsAnUninstalledProviderAsInvalidConfiguration() {
        StorageProviders providers = StorageProviders.discover(TestFactories.loaderWith(tmp));
        BackupLocation location = BackupLocation.s3("bucket").build();
        ValidationResult result = location.validate(providers);
        assertThat(result.has(ValidationResult.Kind.INVALID_CONFIGURATION)).isTrue();
        assertThat(result.problems().get(0).message()).contains("io.kbackup:backup-storage-s3");
    }

    @Test
    void locationValidateAsksTheProvider() {
        StorageProviders providers = StorageProviders.discover(TestFactories.loaderWith(tmp, TestFactories.Beta.class));
        ValidationResult result = BackupLocation.builder().provider("beta").bucket("b").build().validate(providers);
        assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p.message()).isEqualTo("made by Beta"));
    }
}

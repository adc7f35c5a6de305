package io.kbackup.testkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.spi.StorageProvider;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The contract's feature switches: declared-unsupported features abort their tests, by name. */
class StorageProviderContractSkipsTest {

    private static final class NothingSupported extends StorageProviderContract {
        @Override
        protected StorageProvider createProvider() {
            return InMemoryStorageProvider.create("skips-" + UUID.randomUUID());
        }

        @Override
        protected Set<Feature> unsupported() {
            return EnumSet.allOf(Feature.class);
        }
    }

    private static final class EverythingSupported extends StorageProviderContract {
        @Override
        protected StorageProvider createProvider() {
            return InMemoryStorageProvider.create("skips-" + UUID.randomUUID());
        }
    }

    @Test
    void unsupportedFeatureAbortsWithItsName() {
        NothingSupported contract = new NothingSupported();
        for (StorageProviderContract.Feature f : StorageProviderContract.Feature.values()) {
            assertThatThrownBy(() -> contract.requireFeature(f))
                    .isInstanceOf(TestAbortedException.class)
                    .hasMessageContaining(f.name());
        }
    }

    @Test
    void supportedFeatureDoesNotAbort() {
        EverythingSupported contract = new EverythingSupported();
        for (StorageProviderContract.Feature f : StorageProviderContract.Feature.values()) {
            contract.requireFeature(f);
        }
        assertThat(contract.unsupported()).isEmpty();
    }

    @Test
    void missingBucketTestIsSkippedByNameWhenNoProviderIsGiven() throws Exception {
        EverythingSupported contract = new EverythingSupported();
        assertThat(contract.createProviderForMissingBucket()).isNull();
        assertThatThrownBy(contract::validateReportsMissingBucket)
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("validateReportsMissingBucket");
    }
}

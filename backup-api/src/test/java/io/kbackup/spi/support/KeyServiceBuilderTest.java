package io.kbackup.spi.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.Credentials;
import io.kbackup.InvalidPlanException;
import io.kbackup.spi.KeyProvider;
import org.junit.jupiter.api.Test;

/** The credentials a key service's builder takes are checked when set, and never quoted. */
class KeyServiceBuilderTest {

    /** A provider that only carries the credentials it was built with. */
    record Built(Credentials credentials) implements KeyProvider {
        @Override
        public String id() {
            return "test";
        }

        @Override
        public byte[] wrap(String keyId, byte[] dataKey, byte[] context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] unwrap(String keyId, byte[] wrappedKey, byte[] context) {
            throw new UnsupportedOperationException();
        }
    }

    static final class Builder extends KeyServiceBuilder<Built, Builder> {
        Builder() {
            super("TestKeyProvider", Credentials.awsDefaultChain(), "AWS keys or the default chain", Credentials.AwsStatic.class,
                    Credentials.AwsDefaultChain.class);
        }

        @Override
        public Built build() {
            return new Built(credentials());
        }
    }

    @Test
    void defaultCredentialsAreKeptUntilAnAcceptedKindIsSet() {
        assertThat(new Builder().build().credentials()).isEqualTo(Credentials.awsDefaultChain());
        Credentials keys = Credentials.awsStatic("AKIA0000", "secret-value");
        assertThat(new Builder().credentials(keys).build().credentials()).isSameAs(keys);
    }

    @Test
    void anotherKindIsRefusedNamingTheKindOnly() {
        assertThatThrownBy(() -> new Builder().credentials(Credentials.azureAccountKey("acct", "c2VjcmV0LWtleQ==")))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessage("TestKeyProvider: credentials must be AWS keys or the default chain, was azure-account-key.");
        assertThatThrownBy(() -> new Builder().credentials(null)).isInstanceOf(NullPointerException.class);
    }
}

package io.kbackup.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.InvalidPlanException;
import io.kbackup.KeyUnavailableException;
import io.kbackup.spi.KeyProviders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticKeyProviderTest {
    private static final byte[] CONTEXT = "kbackup/1/b1".getBytes(StandardCharsets.UTF_8);

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    @Test
    void isRegisteredForServiceLoaderAndUnknownIdsNameTheArtifact() {
        assertThat(KeyProviders.discover().installedIds()).contains("static");
        assertThat(KeyProviders.discover().provider("static", "k")).isInstanceOf(StaticKeyProvider.class);
        assertThatThrownBy(() -> KeyProviders.discover().provider("gcp-kms", "k")).isInstanceOf(KeyUnavailableException.class)
                .hasMessageContaining("Installed: [").hasMessageContaining("static");
    }

    @Test
    void wrapsAndUnwrapsBoundToTheContextAndRefusesAnotherKey() {
        byte[] k1 = random(32);
        byte[] data = random(32);
        StaticKeyProvider p = StaticKeyProvider.builder().key("k1", k1).key("k2", random(32)).build();
        byte[] wrapped = p.wrap("k1", data, CONTEXT);
        assertThat(p.unwrap("k1", wrapped, CONTEXT)).isEqualTo(data);
        assertThatThrownBy(() -> p.unwrap("k2", wrapped, CONTEXT)).isInstanceOf(KeyUnavailableException.class).hasMessageContaining("k2");
        assertThatThrownBy(() -> p.unwrap("k1", wrapped, "kbackup/1/b2".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(KeyUnavailableException.class);
        assertThatThrownBy(() -> p.wrap("k3", data, CONTEXT)).isInstanceOf(KeyUnavailableException.class).hasMessageContaining("[k1, k2]");
        assertThat(p.toString()).isEqualTo("StaticKeyProvider[keyIds=[k1, k2]]");
        assertThatThrownBy(() -> StaticKeyProvider.builder().key("short", random(16))).isInstanceOf(InvalidPlanException.class);
    }

    @Test
    void theDiscoveredInstanceReadsKeysFromTheKeyFolder(@TempDir Path dir) throws Exception {
        byte[] k = random(32);
        Files.writeString(dir.resolve("folder-key.key"), Base64.getEncoder().encodeToString(k) + "\n");
        String previous = System.setProperty(StaticKeyProvider.DIR_PROPERTY, dir.toString());
        try {
            StaticKeyProvider discovered = new StaticKeyProvider();
            byte[] data = random(32);
            byte[] wrapped = discovered.wrap("folder-key", data, CONTEXT);
            assertThat(StaticKeyProvider.builder().key("folder-key", k).build().unwrap("folder-key", wrapped, CONTEXT)).isEqualTo(data);
            assertThatThrownBy(() -> discovered.wrap("../escape", data, CONTEXT)).isInstanceOf(KeyUnavailableException.class);
            assertThatThrownBy(() -> discovered.wrap("absent", data, CONTEXT)).isInstanceOf(KeyUnavailableException.class)
                    .hasMessageContaining("absent.key").satisfies(e -> assertThat(e.getMessage()).doesNotContain(Base64.getEncoder().encodeToString(k)));
        } finally {
            if (previous == null) {
                System.clearProperty(StaticKeyProvider.DIR_PROPERTY);
            } else {
                System.setProperty(StaticKeyProvider.DIR_PROPERTY, previous);
            }
        }
    }
}

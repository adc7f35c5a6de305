package io.kbackup.core.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.CorruptBackupException;
import io.kbackup.core.internal.layout.ArchiveReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive reader refuses what Go's readers refuse or Velero never writes, and its refusals quote no content. */
class ArchiveStrictnessTest {
    private static final ArchiveReader.Limits LIMITS = new ArchiveReader.Limits(1 << 20, 64L << 20);
    private static final String CM = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\",\"namespace\":\"shop\"}}";
    private static final String CM2 = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"late\",\"namespace\":\"shop\"}}";
    private static final String SECRET_VALUE = "aHVudGVyMi1zdXBlci1zZWNyZXQ";

    @TempDir
    Path spoolDir;

    private ArchiveIndex index(byte[] tarGz) {
        return ArchiveIndex.build(new ByteArrayInputStream(tarGz), "b1", LIMITS, null, spoolDir, (item, obj) -> { }, n -> { });
    }

    private void assertRefused(byte[] tarGz, String message) {
        assertThatThrownBy(() -> index(tarGz)).isInstanceOf(CorruptBackupException.class)
                .hasMessageContaining("Nothing was restored").hasMessageContaining(message);
    }

    private static byte[] tar(TestArchive a) {
        return a.tarBytes(false);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void refusesEntriesAfterASingleZeroBlock() {
        byte[] first = tar(TestArchive.velero().item("configmaps", "shop", "cfg", CM));
        byte[] hidden = tar(TestArchive.empty().entry("resources/configmaps/namespaces/shop/late.json", CM2));
        assertRefused(TestArchive.gzip(concat(first, new byte[512], hidden, new byte[1024])), "single zero block");
    }

    @Test
    void acceptsALoneZeroBlockAtTheEndAsGoDoes() {
        byte[] archive = TestArchive.gzip(concat(tar(TestArchive.velero().item("configmaps", "shop", "cfg", CM)), new byte[512]));
        try (ArchiveIndex index = index(archive)) {
            assertThat(index.items()).extracting(IndexedItem::describe).containsExactly("configmaps shop/cfg");
        }
    }

    @Test
    void refusesDataAfterTheEndOfArchiveMarker() {
        byte[] trailing = "more".getBytes(StandardCharsets.US_ASCII);
        assertRefused(TestArchive.gzip(concat(TestArchive.velero().item("configmaps", "shop", "cfg", CM).tarBytes(true), trailing)),
                "data after the end-of-archive marker");
    }

    @Test
    void acceptsTarRecordPaddingButNotUnboundedZeros() {
        byte[] tar = TestArchive.velero().item("configmaps", "shop", "cfg", CM).tarBytes(true);
        assertThatCode(() -> index(TestArchive.gzip(concat(tar, new byte[10240]))).close()).doesNotThrowAnyException();
        assertRefused(TestArchive.gzip(concat(tar, new byte[2 << 20])), "bytes of padding follow the end-of-archive marker");
    }

    @Test
    void refusesASecondGzipMember() {
        byte[] archive = TestArchive.velero().item("configmaps", "shop", "cfg", CM).tarGz();
        assertRefused(concat(archive, TestArchive.gzip(new byte[1024])), "second gzip member");
    }

    @Test
    void refusesDataAfterTheGzipMember() {
        byte[] archive = TestArchive.velero().item("configmaps", "shop", "cfg", CM).tarGz();
        assertRefused(concat(archive, "garbage".getBytes(StandardCharsets.US_ASCII)), "data after the end of the gzip stream");
    }

    @Test
    void refusesACorruptGzipTrailer() {
        byte[] archive = TestArchive.velero().item("configmaps", "shop", "cfg", CM).tarGz();
        archive[archive.length - 6] ^= 0x01; // in the CRC-32
        assertRefused(archive, "CRC-32");
    }

    @Test
    void aRefusalNeverReadsNull() {
        byte[] archive = TestArchive.velero().item("configmaps", "shop", "cfg", CM).tarGz();
        for (int cut : new int[] {1, 3, 5, 9, archive.length - 4}) {
            byte[] truncated = Arrays.copyOf(archive, cut);
            assertThatThrownBy(() -> index(truncated)).as("cut at %d", cut).isInstanceOf(CorruptBackupException.class)
                    .hasMessageContaining("damaged archive")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("null"));
        }
    }

    @Test
    void aDamagedSecretEntryIsNotQuotedInTheRefusal() {
        String damaged = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\",\"namespace\":\"shop\"},"
                + "\"data\":{\"password\":" + SECRET_VALUE + "}}";
        String truncated = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\",\"namespace\":\"shop\"},"
                + "\"data\":{\"password\":\"" + SECRET_VALUE;
        String duplicated = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\",\"namespace\":\"shop\"},"
                + "\"data\":{\"" + SECRET_VALUE + "\":\"a\",\"" + SECRET_VALUE + "\":\"b\"}}";
        String trailing = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\",\"namespace\":\"shop\"}} "
                + SECRET_VALUE;
        for (String json : new String[] {damaged, truncated, duplicated, trailing}) {
            for (String path : new String[] {"resources/secrets/namespaces/shop/s.json", "resources/secrets/v1-preferredversion/namespaces/shop/s.json"}) {
                byte[] archive = TestArchive.velero().entry(path, json).tarGz();
                assertThatThrownBy(() -> index(archive)).isInstanceOf(CorruptBackupException.class)
                        .hasMessageContaining("not valid JSON")
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET_VALUE).doesNotContain("hunter"));
            }
        }
    }

    @Test
    void refusesClassicAndPreferredCopiesThatDiffer() {
        String other = CM.replace("\"name\":\"cfg\"", "\"name\":\"cfg\",\"labels\":{\"x\":\"y\"}");
        byte[] archive = TestArchive.velero().entry("resources/configmaps/namespaces/shop/cfg.json", CM)
                .entry("resources/configmaps/v1-preferredversion/namespaces/shop/cfg.json", other).tarGz();
        assertRefused(archive, "copies of item 'resources/configmaps/namespaces/shop/cfg.json'");
        // the preferred copy first, as some writers order them
        byte[] reversed = TestArchive.velero().entry("resources/configmaps/v1-preferredversion/namespaces/shop/cfg.json", other)
                .entry("resources/configmaps/namespaces/shop/cfg.json", CM).tarGz();
        assertRefused(reversed, "differ");
    }

    @Test
    void acceptsCopiesThatDifferOnlyInWhitespace() {
        byte[] archive = TestArchive.velero().entry("resources/configmaps/namespaces/shop/cfg.json", CM)
                .entry("resources/configmaps/v1-preferredversion/namespaces/shop/cfg.json", CM.replace(",", ",\n  ")).tarGz();
        assertThatCode(() -> index(archive).close()).doesNotThrowAnyException();
    }

    @Test
    void refusesAPreferredCopyWithoutItsClassicCopy() {
        byte[] archive = TestArchive.velero().item("configmaps", "shop", "cfg", CM)
                .entry("resources/configmaps/v1-preferredversion/namespaces/shop/late.json", CM2).tarGz();
        assertRefused(archive, "has a preferred-version copy but none at its classic path");
    }

    @Test
    void refusesAPreferredCopyOfAnotherVersion() {
        byte[] archive = TestArchive.velero().entry("resources/configmaps/namespaces/shop/cfg.json", CM)
                .entry("resources/configmaps/v2-preferredversion/namespaces/shop/cfg.json", CM).tarGz();
        assertRefused(archive, "not of version 'v2'");
    }

    @Test
    void refusesANamespacedObjectAtAClusterScopedPath() {
        String crb = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\",\"namespace\":\"kube-system\"}}";
        assertRefused(TestArchive.velero().item("configmaps", null, "cfg", crb).tarGz(),
                "at a cluster-scoped path but says namespace 'kube-system'");
    }

    @Test
    void refusesAnObjectOfAnotherApiGroupThanItsFolder() {
        String crb = "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"cfg\",\"namespace\":\"shop\"}}";
        assertRefused(TestArchive.velero().item("configmaps", "shop", "cfg", crb).tarGz(), "not of API group '' as its folder configmaps says");
        assertRefused(TestArchive.velero().item("deployments.apps", "shop", "cfg", CM).tarGz(), "not of API group 'apps'");
    }

    @Test
    void refusesAnObjectLargerThanEtcdCouldHold() {
        String big = "x".repeat(1_700_000);
        String ns = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\",\"annotations\":{\"a\":\"" + big + "\"}}}";
        ArchiveReader.Limits defaults = ArchiveReader.Limits.DEFAULTS;
        byte[] archive = TestArchive.velero().item("namespaces", null, "shop", ns).tarGz();
        assertThatThrownBy(() -> ArchiveIndex.build(new ByteArrayInputStream(archive), "b1", defaults, null, spoolDir, (i, o) -> { }, n -> { }))
                .isInstanceOf(CorruptBackupException.class).hasMessageContaining("more than etcd's limit of 1572864 bytes")
                .hasMessageContaining("DirectOptions.maxObjectBytes");
    }

    @Test
    void aSecretOfOneAndAHalfMebibytesIsNotRefusedForItsBase64() {
        // 1.4 MiB of data is about 1.9 MB of base64 JSON: within the 3 MiB entry limit and, counted as bytes, within etcd's limit
        String data = java.util.Base64.getEncoder().encodeToString(new byte[1_400_000]);
        String secret = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\",\"namespace\":\"shop\"},"
                + "\"data\":{\"blob\":\"" + data + "\"}}";
        byte[] archive = TestArchive.velero().item("secrets", "shop", "s", secret).tarGz();
        assertThatCode(() -> ArchiveIndex.build(new ByteArrayInputStream(archive), "b1", ArchiveReader.Limits.DEFAULTS, null, spoolDir,
                (i, o) -> { }, n -> { }).close()).doesNotThrowAnyException();
    }

    @Test
    void aSmallArchiveCannotMakeTheRestoreInflateGigabytes() throws Exception {
        // 300 items of 1 MiB of blanks inside a string: about 300 MiB inflated from a few hundred KiB
        String pad = " ".repeat(1 << 20);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(compressed)) {
            gz.write(TestArchive.velero().tarBytes(false));
            for (int i = 0; i < 300; i++) {
                String json = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c" + i
                        + "\",\"namespace\":\"shop\"},\"data\":{\"pad\":\"" + pad + "\"}}";
                gz.write(TestArchive.empty().entry("resources/configmaps/namespaces/shop/c" + i + ".json", json).tarBytes(false));
            }
            gz.write(new byte[1024]);
        }
        byte[] archive = compressed.toByteArray();
        assertThat(archive.length).isLessThan(2 << 20);
        long[] spoolMax = {0};
        assertThatThrownBy(() -> ArchiveIndex.build(new ByteArrayInputStream(archive), "b1", ArchiveReader.Limits.DEFAULTS, null, spoolDir,
                (i, o) -> spoolMax[0] = Math.max(spoolMax[0], spoolSize()), n -> { }))
                .isInstanceOf(CorruptBackupException.class).hasMessageContaining("times its compressed size")
                .hasMessageContaining("DirectOptions.maxArchiveExpansion");
        assertThat(spoolMax[0]).isLessThanOrEqualTo(ArchiveReader.Limits.EXPANSION_ALLOWANCE + 50L * archive.length);
    }

    @Test
    void theSpoolHoldsCompactJson() {
        String pretty = "{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"ConfigMap\",\n    \"metadata\": {\"name\": \"cfg\", \"namespace\": \"shop\"}"
                + " ".repeat(100_000) + "}";
        try (ArchiveIndex index = index(TestArchive.velero().entry("resources/configmaps/namespaces/shop/cfg.json", pretty)
                .entry("resources/configmaps/v1-preferredversion/namespaces/shop/cfg.json", pretty).tarGz())) {
            assertThat(index.spoolBytes()).isEqualTo(CM.length());
            assertThat(index.read(index.items().get(0)).toString()).isEqualTo(CM);
        }
    }

    private long spoolSize() {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(spoolDir)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

package io.kbackup.core.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kbackup.CorruptBackupException;
import io.kbackup.core.internal.layout.ArchiveReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveIndexTest {
    private static final ArchiveReader.Limits LIMITS = new ArchiveReader.Limits(1 << 20, 64L << 20);
    private static final String CM = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\",\"namespace\":\"shop\",\"uid\":\"u1\"},\"data\":{\"a\":\"1\"}}";
    private static final String DEPLOY = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\"},\"spec\":{\"replicas\":2}}";
    private static final String NS = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"shop\"}}";

    @TempDir
    Path spoolDir;

    private final List<String> observed = new ArrayList<>();

    private ArchiveIndex index(byte[] tarGz, ArchiveReader.Expected expected, ArchiveReader.Limits limits) {
        return ArchiveIndex.build(new ByteArrayInputStream(tarGz), "b1", limits, expected, spoolDir,
                (item, obj) -> observed.add(item.describe() + "=" + obj.path("kind").asText()), n -> { });
    }

    private ArchiveIndex index(byte[] tarGz) {
        return index(tarGz, null, LIMITS);
    }

    private static ArchiveReader.Expected expectedOf(byte[] data) throws Exception {
        return new ArchiveReader.Expected(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)), data.length);
    }

    private static byte[] goodArchive() {
        return TestArchive.velero().item("namespaces", null, "shop", NS).item("configmaps", "shop", "cfg", CM)
                .item("deployments.apps", "shop", "web", DEPLOY).tarGz();
    }

    @Test
    void indexesClassicPathItemsAndChecksTheVersionedCopies() throws Exception {
        byte[] archive = goodArchive();
        AtomicLong read = new AtomicLong();
        try (ArchiveIndex index = ArchiveIndex.build(new ByteArrayInputStream(archive), "b1", LIMITS, expectedOf(archive),
                spoolDir, (i, o) -> observed.add(i.describe()), read::addAndGet)) {
            assertThat(index.items()).extracting(IndexedItem::describe)
                    .containsExactly("namespaces shop", "configmaps shop/cfg", "deployments.apps shop/web");
            assertThat(index.formatVersion()).isEqualTo("1.1.0");
            assertThat(index.compressedBytes()).isEqualTo(archive.length);
            assertThat(read.get()).isEqualTo(archive.length);
            assertThat(index.sha256()).isEqualTo(expectedOf(archive).sha256());
            IndexedItem deploy = index.items().get(2);
            assertThat(deploy.apiVersion).isEqualTo("apps/v1");
            assertThat(deploy.kind).isEqualTo("Deployment");
            assertThat(deploy.group()).isEqualTo("apps");
            assertThat(deploy.plural()).isEqualTo("deployments");
            ObjectNode back = index.read(deploy);
            assertThat(back).isEqualTo(RestoreJson.MAPPER.readTree(DEPLOY));
            assertThat(index.read(index.items().get(1)).path("metadata").path("uid").asText()).isEqualTo("u1");
        }
        assertThat(observed).hasSize(3);
        try (Stream<Path> left = Files.list(spoolDir)) {
            assertThat(left).as("spool deleted on close").isEmpty();
        }
    }

    @Test
    void readsLongNamesFromPaxHeaders() {
        String longName = "n".repeat(180);
        String json = CM.replace("\"cfg\"", "\"" + longName + "\"");
        try (ArchiveIndex index = index(TestArchive.velero().item("configmaps", "shop", longName, json).tarGz())) {
            assertThat(index.items()).singleElement().satisfies(i -> assertThat(i.name).isEqualTo(longName));
        }
    }

    @Test
    void readsAnArchiveWrittenByGnuTar() throws Exception {
        Path src = Files.createTempDirectory("gnu-tar-src");
        try {
            String longNs = "ns-" + "x".repeat(60);
            String longName = "cfg-" + "y".repeat(120);
            write(src.resolve("metadata/version"), "1.1.0\n");
            write(src.resolve("resources/configmaps/namespaces/" + longNs + "/" + longName + ".json"),
                    CM.replace("\"cfg\"", "\"" + longName + "\"").replace("\"shop\"", "\"" + longNs + "\""));
            write(src.resolve("resources/namespaces/cluster/" + longNs + ".json"), NS.replace("\"shop\"", "\"" + longNs + "\""));
            Path out = spoolDir.resolve("gnu.tar.gz");
            for (String format : List.of("posix", "gnu")) {
                Process p = new ProcessBuilder("tar", "--format=" + format, "-czf", out.toString(), "-C", src.toString(), "--no-recursion",
                        "metadata/version", "resources/configmaps/namespaces/" + longNs + "/" + longName + ".json",
                        "resources/namespaces/cluster/" + longNs + ".json").redirectErrorStream(true).start();
                assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
                byte[] archive = Files.readAllBytes(out);
                try (ArchiveIndex index = index(archive, expectedOf(archive), LIMITS)) {
                    assertThat(index.items()).as(format).extracting(IndexedItem::describe)
                            .containsExactly("configmaps " + longNs + "/" + longName, "namespaces " + longNs);
                    assertThat(index.formatVersion()).isEqualTo("1.1.0");
                }
                Files.delete(out);
            }
        } finally {
            try (Stream<Path> walk = Files.walk(src)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void refusesAnArchiveThatDiffersFromItsManifestByOneByte() throws Exception {
        byte[] archive = goodArchive();
        ArchiveReader.Expected expected = expectedOf(archive);
        byte[] tampered = archive.clone();
        tampered[tampered.length / 2] ^= 0x01;
        assertThatThrownBy(() -> index(tampered, expected, LIMITS))
                .isInstanceOf(CorruptBackupException.class)
                .hasMessageContaining("does not match its integrity manifest")
                .hasMessageContaining(expected.sha256())
                .satisfies(e -> assertThat(((CorruptBackupException) e).backupName()).isEqualTo("b1"));
        assertSpoolGone();
    }

    @Test
    void refusesAnArchiveWithValidGzipButOtherContentThanTheManifestSays() throws Exception {
        byte[] archive = goodArchive();
        byte[] other = TestArchive.velero().item("configmaps", "shop", "cfg", CM).tarGz();
        assertThatThrownBy(() -> index(other, expectedOf(archive), LIMITS))
                .isInstanceOf(CorruptBackupException.class).hasMessageContaining("integrity manifest");
    }

    @Test
    void refusesParentDirectorySegments() {
        assertRefused(TestArchive.velero().entry("resources/../../etc/cron.d/x.json", CM), "'..' path segment");
        assertRefused(TestArchive.velero().entry("resources/configmaps/namespaces/../cfg.json", CM), "'..' path segment");
    }

    @Test
    void refusesAbsolutePaths() {
        assertRefused(TestArchive.velero().entry("/resources/configmaps/namespaces/shop/cfg.json", CM), "absolute path");
    }

    @Test
    void refusesEntriesOutsideMetadataAndResources() {
        assertRefused(TestArchive.velero().entry("extra/cfg.json", CM), "outside metadata/ and resources/");
        assertRefused(TestArchive.velero().entry("resources/configmaps/weird/shop/x/cfg.json", CM), "not at a resource path");
        assertRefused(TestArchive.velero().entry("resources/configmaps/namespaces/shop/cfg.yaml", CM), "not a <name>.json");
    }

    @Test
    void refusesLinksDirectoriesAndOtherNonRegularEntries() {
        assertRefused(TestArchive.velero().entry("resources/configmaps/namespaces/shop/cfg.json", '2', new byte[0]), "symbolic link");
        assertRefused(TestArchive.velero().entry("resources/configmaps/namespaces/shop/cfg.json", '1', new byte[0]), "hard link");
        assertRefused(TestArchive.velero().entry("resources/", '5', new byte[0]), "directory");
        assertRefused(TestArchive.velero().entry("resources/x", '6', new byte[0]), "FIFO");
    }

    @Test
    void refusesEntriesOverTheEntryLimit() {
        String big = CM.replace("\"1\"", "\"" + "z".repeat(5000) + "\"");
        TestArchive a = TestArchive.velero().item("configmaps", "shop", "cfg", big);
        assertThatThrownBy(() -> index(a.tarGz(), null, new ArchiveReader.Limits(4096, 1 << 20)))
                .isInstanceOf(CorruptBackupException.class).hasMessageContaining("more than the limit of 4096 bytes");
        assertSpoolGone();
    }

    @Test
    void refusesArchivesOverTheTotalLimitEvenWhenTheyCompressWell() {
        TestArchive a = TestArchive.velero();
        for (int i = 0; i < 50; i++) {
            a.item("configmaps", "shop", "cfg" + i, CM.replace("\"cfg\"", "\"cfg" + i + "\"").replace("\"1\"", "\"" + "0".repeat(3000) + "\""));
        }
        byte[] archive = a.tarGz();
        assertThat(archive.length).isLessThan(64 * 1024);
        assertThatThrownBy(() -> index(archive, null, new ArchiveReader.Limits(1 << 20, 100 * 1024)))
                .isInstanceOf(CorruptBackupException.class).hasMessageContaining("maxArchiveBytes");
    }

    @Test
    void refusesEntriesThatAreNotJson() {
        assertRefused(TestArchive.velero().entry("resources/configmaps/namespaces/shop/cfg.json", "not json at all"), "not valid JSON");
        assertRefused(TestArchive.velero().entry("resources/configmaps/v1-preferredversion/namespaces/shop/cfg.json", "{\"a\":"), "not valid JSON");
        assertRefused(TestArchive.velero().entry("resources/configmaps/namespaces/shop/cfg.json", CM + "{}"), "not valid JSON");
        assertRefused(TestArchive.velero().entry("resources/configmaps/namespaces/shop/cfg.json", "[1,2]"), "not a JSON object");
        assertRefused(TestArchive.velero().entry("resources/configmaps/namespaces/shop/cfg.json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"cfg\"}}"), "not valid JSON");
    }

    @Test
    void refusesItemsWhoseContentContradictsTheirPath() {
        assertRefused(TestArchive.velero().entry("resources/configmaps/namespaces/shop/other.json", CM), "named 'cfg' inside");
        assertRefused(TestArchive.velero().entry("resources/configmaps/namespaces/kube-system/cfg.json", CM), "says namespace 'shop'");
        assertRefused(TestArchive.velero().entry("resources/configmaps/namespaces/shop/cfg.json",
                "{\"metadata\":{\"name\":\"cfg\"}}"), "no apiVersion or kind");
    }

    @Test
    void refusesDuplicateItems() {
        assertRefused(TestArchive.velero().entry("resources/configmaps/namespaces/shop/cfg.json", CM)
                .entry("resources/configmaps/namespaces/shop/cfg.json", CM), "twice");
    }

    @Test
    void refusesUnknownFormatVersions() {
        assertRefused(TestArchive.empty().entry("metadata/version", "2.0.0\n"), "format version is '2.0.0'");
    }

    @Test
    void refusesTruncatedAndNonGzipData() {
        byte[] archive = goodArchive();
        byte[] truncated = java.util.Arrays.copyOf(archive, archive.length - 30);
        assertThatThrownBy(() -> index(truncated)).isInstanceOf(CorruptBackupException.class).hasMessageContaining("damaged archive");
        assertThatThrownBy(() -> index("plain text".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CorruptBackupException.class).hasMessageContaining("damaged archive");
        byte[] noEndMarker = TestArchive.gzip(TestArchive.velero().item("configmaps", "shop", "cfg", CM).tarBytes(false));
        assertThatThrownBy(() -> index(noEndMarker)).isInstanceOf(CorruptBackupException.class)
                .hasMessageContaining("end-of-archive marker");
        byte[] badHeader = TestArchive.velero().tarBytes(true);
        badHeader[10] ^= 0x10;
        assertThatThrownBy(() -> index(TestArchive.gzip(badHeader))).isInstanceOf(CorruptBackupException.class)
                .hasMessageContaining("checksum");
        assertSpoolGone();
    }

    private void assertRefused(TestArchive archive, String message) {
        assertThatThrownBy(() -> index(archive.tarGz()))
                .isInstanceOf(CorruptBackupException.class)
                .hasMessageContaining("Nothing was restored")
                .hasMessageContaining(message);
        assertSpoolGone();
    }

    private void assertSpoolGone() {
        try (Stream<Path> left = Files.list(spoolDir)) {
            assertThat(left.filter(p -> p.toString().endsWith(".spool"))).isEmpty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void write(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}

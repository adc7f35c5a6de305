package io.kbackup.core.internal.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarArchiveWriterTest {
    private static final String LONG_NS = "a-namespace-with-a-rather-long-name-that-goes-on";
    private static final String LONG_NAME = "an-object-name-that-is-long-enough-to-push-the-path-past-one-hundred-bytes-for-sure-0123456789";

    @Test
    void paxRecordLengthCountsItself() {
        assertThat(new String(TarArchiveWriter.paxRecord("path", "abc"), StandardCharsets.UTF_8)).isEqualTo("12 path=abc\n");
        // 95 + 3 digits crosses from 2 to 3 digits
        String v = "x".repeat(88);
        String rec = new String(TarArchiveWriter.paxRecord("path", v), StandardCharsets.UTF_8);
        assertThat(rec.length()).isEqualTo(Integer.parseInt(rec.substring(0, rec.indexOf(' '))));
    }

    @Test
    void gnuTarListsAndExtractsEveryEntryIncludingLongAndNonAsciiNames(@TempDir Path dir) throws Exception {
        byte[] gz = sampleArchive();
        Path file = dir.resolve("b.tar.gz");
        Files.write(file, gz);

        List<String> listed = run(dir, "tar", "-tzf", file.toString());
        assertThat(listed).containsExactly(
                "metadata/version",
                "resources/configmaps/namespaces/ns1/cm.json",
                "resources/configmaps/v1-preferredversion/namespaces/ns1/cm.json",
                ArchivePaths.item("configmaps", LONG_NS, LONG_NAME),
                ArchivePaths.preferredVersionItem("configmaps", "v1", LONG_NS, LONG_NAME),
                "resources/configmaps/namespaces/ns1/grüße.json",
                "resources/configmaps/v1-preferredversion/namespaces/ns1/grüße.json",
                "resources/persistentvolumes/cluster/pv1.json",
                "resources/persistentvolumes/v1-preferredversion/cluster/pv1.json");

        Path out = Files.createDirectories(dir.resolve("x"));
        run(dir, "tar", "-xzf", file.toString(), "-C", out.toString());
        assertThat(Files.readString(out.resolve("metadata/version"))).isEqualTo("1.1.0\n");
        assertThat(Files.readString(out.resolve(ArchivePaths.item("configmaps", LONG_NS, LONG_NAME)))).isEqualTo("{\"long\":true}");
        assertThat(Files.readString(out.resolve("resources/configmaps/namespaces/ns1/grüße.json"))).isEqualTo("{\"u\":\"ü\"}");
        assertThat(Files.size(out.resolve("resources/persistentvolumes/cluster/pv1.json"))).isEqualTo(1500);
    }

    @Test
    void independentReaderSeesSameEntriesAndContent() throws Exception {
        Map<String, byte[]> entries = TestTarReader.readTarGz(sampleArchive());
        assertThat(entries.keySet()).first().isEqualTo("metadata/version");
        assertThat(entries).hasSize(9);
        assertThat(new String(entries.get(ArchivePaths.preferredVersionItem("configmaps", "v1", LONG_NS, LONG_NAME)),
                StandardCharsets.UTF_8)).isEqualTo("{\"long\":true}");
        assertThat(entries.get("resources/persistentvolumes/cluster/pv1.json")).hasSize(1500);
    }

    @Test
    void archiveOutputCountsItemsEntriesAndDigestsTheCompressedBytes() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        ArchiveOutput a = new ArchiveOutput(sink, Instant.parse("2026-11-21T08:00:00Z"));
        a.addItem("pods", "v1", "ns", "p", "{}".getBytes(StandardCharsets.UTF_8));
        a.finish();
        assertThat(a.items()).isEqualTo(1);
        assertThat(a.entries()).isEqualTo(3);
        assertThat(a.bytes()).isEqualTo(sink.size());
        assertThat(a.sha256Hex()).isEqualTo(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(sink.toByteArray())));
    }

    static byte[] sampleArchive() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        ArchiveOutput a = new ArchiveOutput(sink, Instant.parse("2026-11-21T08:00:00Z"));
        a.addItem("configmaps", "v1", "ns1", "cm", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        a.addItem("configmaps", "v1", LONG_NS, LONG_NAME, "{\"long\":true}".getBytes(StandardCharsets.UTF_8));
        a.addItem("configmaps", "v1", "ns1", "grüße", "{\"u\":\"ü\"}".getBytes(StandardCharsets.UTF_8));
        a.addItem("persistentvolumes", "v1", null, "pv1", "p".repeat(1500).getBytes(StandardCharsets.UTF_8));
        a.finish();
        return sink.toByteArray();
    }

    static List<String> run(Path dir, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C.UTF-8");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), out).isZero();
        List<String> lines = new ArrayList<>();
        out.lines().filter(l -> !l.isBlank()).forEach(lines::add);
        return lines;
    }
}

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
}

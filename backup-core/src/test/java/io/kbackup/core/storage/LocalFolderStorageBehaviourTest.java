package io.kbackup.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.InvalidPlanException;
import io.kbackup.StorageException;
import io.kbackup.ValidationResult;
import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.ListPage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the local-folder provider does beyond the contract: files on disk, safety of keys, validation. */
class LocalFolderStorageBehaviourTest {

    @TempDir
    Path tmp;

    private Path folder;
    private LocalFolderStorageProvider storage;

    @BeforeEach
    void setUp() {
        folder = tmp.resolve("backups");
        storage = new LocalFolderStorageProvider(folder);
    }

    @Test
    void keysAreRelativeFilesUnderTheFolderCreatedOnFirstWrite() throws IOException {
        assertThat(folder).doesNotExist();
        storage.put("backups/b1/velero-backup.json", bytes("{}"));
        assertThat(folder.resolve("backups/b1/velero-backup.json")).hasContent("{}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "a/../../escape", "/etc/passwd", "a\\b", "a//b", "a/", "./a", "a/./b",
            ".kbackup-tmp/x", "nul\0byte"})
    void refusesKeysThatCouldEscapeOrAreMalformed(String key) {
        assertThatThrownBy(() -> storage.put(key, bytes("x")))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("key");
        assertThatThrownBy(() -> storage.get(key)).isInstanceOf(InvalidPlanException.class);
        assertThatThrownBy(() -> storage.head(key)).isInstanceOf(InvalidPlanException.class);
        assertThatThrownBy(() -> storage.delete(key)).isInstanceOf(InvalidPlanException.class);
        assertThat(folder).doesNotExist();
        assertThat(tmp.resolve("escape")).doesNotExist();
    }

    @Test
    void refusesEmptyKeyAndListingPrefixThatEscapes() {
        assertThatThrownBy(() -> storage.openWriter("")).isInstanceOf(InvalidPlanException.class);
        assertThatThrownBy(() -> storage.list("../", null, null, 10)).isInstanceOf(InvalidPlanException.class);
        assertThatThrownBy(() -> storage.list("/abs", "/", null, 10)).isInstanceOf(InvalidPlanException.class);
    }

    @Test
    void uncommittedWriteIsAHiddenTempFileUntilCommit() throws IOException {
        try (BlobWriter w = storage.openWriter("backups/b1/b1.tar.gz")) {
            w.write(new byte[100_000]);
            w.flush();
            assertThat(folder.resolve("backups/b1/b1.tar.gz")).doesNotExist();
            assertThat(tempFiles()).hasSize(1);
            assertThat(storage.listAll("").toList()).isEmpty();
            ListPage root = storage.list("", "/", null, 100);
            assertThat(root.blobs()).isEmpty();
            assertThat(root.commonPrefixes()).isEmpty();
            w.commit();
        }
        assertThat(tempFiles()).isEmpty();
        assertThat(folder.resolve("backups/b1/b1.tar.gz")).hasSize(100_000);
        assertThat(storage.listAll("").map(BlobInfo::key)).containsExactly("backups/b1/b1.tar.gz");
    }

    @Test
    void writerThatNeverFinishesLeavesNothingUnderTheKey() throws IOException {
        // as a crash would: the writer is neither committed nor closed
        BlobWriter w = storage.openWriter("backups/b2/b2.tar.gz");
        w.write(new byte[10_000]);
        w.flush();
        assertThat(storage.exists("backups/b2/b2.tar.gz")).isFalse();
        assertThat(storage.listAll("").toList()).isEmpty();
        assertThat(storage.listPrefixes("", "/")).isEmpty();
        w.abort();
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void deleteRemovesFoldersLeftEmptyButNotTheBucket() {
        storage.put("backups/b1/a.json", bytes("a"));
        storage.put("backups/b2/b.json", bytes("b"));
        storage.delete("backups/b1/a.json");
        assertThat(folder.resolve("backups/b1")).doesNotExist();
        assertThat(folder.resolve("backups/b2/b.json")).exists();
        storage.delete("backups/b2/b.json");
        assertThat(folder.resolve("backups")).doesNotExist();
        assertThat(folder).isDirectory();
    }

    @Test
    void emptyFoldersAreNotCommonPrefixes() throws IOException {
        Files.createDirectories(folder.resolve("backups/empty/deeper"));
        storage.put("backups/full/x", bytes("x"));
        assertThat(storage.listPrefixes("backups/", "/")).containsExactly("backups/full/");
        assertThat(storage.listAll("backups/").map(BlobInfo::key)).containsExactly("backups/full/x");
    }

    @Test
    void deleteOfAFolderKeyDoesNothing() {
        storage.put("backups/b1/a.json", bytes("a"));
        storage.delete("backups/b1");
        assertThat(storage.exists("backups/b1/a.json")).isTrue();
        assertThat(storage.head("backups/b1")).isEmpty();
    }

    @Test
    void keyUnderAnExistingBlobFailsClearlyAndLeavesNoTempFile() {
        storage.put("a", bytes("a"));
        assertThatThrownBy(() -> storage.put("a/b", bytes("b")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("'a/b'")
                .hasMessageContaining("cannot share a name");
        assertThat(storage.getBytes("a")).isEqualTo(bytes("a"));
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void nonDelimiterSlashGroupsByTheGivenDelimiter() {
        storage.put("logs/a-1", bytes("1"));
        storage.put("logs/a-2", bytes("2"));
        storage.put("logs/b", bytes("3"));
        ListPage page = storage.list("logs/", "-", null, 10);
        assertThat(page.commonPrefixes()).containsExactly("logs/a-");
        assertThat(page.blobs()).extracting(BlobInfo::key).containsExactly("logs/b");
    }

    @Test
    void validateCreatesAMissingFolder() {
        Path nested = tmp.resolve("x/y/z");
        ValidationResult result = new LocalFolderStorageProvider(nested).validate();
        assertThat(result.isOk()).as("%s", result).isTrue();
        assertThat(nested).isDirectory();
    }

    @Test
    void validateReportsAFileWhereTheFolderShouldBe() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        ValidationResult result = new LocalFolderStorageProvider(file).validate();
        assertThat(result.has(ValidationResult.Kind.INVALID_CONFIGURATION)).as("%s", result).isTrue();
        assertThat(result.problems().get(0).fix()).isNotBlank();
    }

    @Test
    void validateReportsAFolderThatCannotBeWritten() throws IOException {
        if ("root".equals(System.getProperty("user.name"))) {
            // root writes to read-only folders; sysfs refuses new files even to root
            assertAccessDenied(Path.of("/sys"));
            return;
        }
        Path readOnly = Files.createDirectories(tmp.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assertAccessDenied(readOnly);
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static void assertAccessDenied(Path folder) {
        ValidationResult result = new LocalFolderStorageProvider(folder).validate();
        assertThat(result.has(ValidationResult.Kind.ACCESS_DENIED)).as("%s", result).isTrue();
        assertThat(result.problems().get(0).fix()).contains("write permission");
    }

    @Test
    void refusesARelativeFolder() {
        assertThatThrownBy(() -> new LocalFolderStorageProvider(Path.of("relative/folder")))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("absolute");
    }

    @Test
    void readsOfAMissingFolderFindNothing() {
        assertThat(storage.listAll("").toList()).isEmpty();
        assertThat(storage.head("a")).isEmpty();
        storage.delete("a");
        assertThat(folder).doesNotExist();
    }

    @Test
    void uploadsAndValidationLeaveNoFolderAtTheTopOfTheLocation() throws IOException {
        assertThat(storage.validate().isOk()).isTrue();
        storage.put("backups/b1/velero-backup.json", bytes("{}"));
        BlobWriter open = storage.openWriter("backups/b2/b2.tar.gz");
        open.write(1);
        try (Stream<Path> top = Files.list(folder)) {
            // Velero marks a location with any other top-level folder Unavailable
            assertThat(top.map(p -> p.getFileName().toString())).containsExactly("backups");
        }
        open.abort();
        assertThat(folder.resolve("backups/b2")).doesNotExist();
    }

    @Test
    void sweepRemovesTemporaryFilesOfInterruptedUploadsStartedBeforeTheGivenTime() throws IOException {
        BlobWriter crashed = storage.openWriter("backups/b1/b1.tar.gz");
        crashed.write(new byte[10]);
        crashed.flush(); // never committed nor aborted, as after a kill -9
        BlobWriter running = storage.openWriter("backups/b1/b1-logs.gz");
        running.write(1);
        running.flush();
        Path crashedFile = tempFiles().stream().filter(p -> sizeOf(p) == 10).findFirst().orElseThrow();
        Files.setLastModifiedTime(crashedFile, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        assertThat(storage.sweepIncompleteUploads("backups/b2/", Instant.now().minus(Duration.ofHours(1)))).isZero();
        assertThat(storage.sweepIncompleteUploads("backups/b1/", Instant.now().minus(Duration.ofHours(1)))).isOne();

        assertThat(crashedFile).doesNotExist();
        assertThat(tempFiles()).hasSize(1);
        running.commit();
        assertThat(storage.listAll("").map(BlobInfo::key)).containsExactly("backups/b1/b1-logs.gz");
    }

    @Test
    void sweepRemovesTheTemporaryFolderOlderVersionsLeftAtTheTop() throws IOException {
        Path legacy = Files.createDirectories(folder.resolve(LocalFolderStorageProvider.TMP_DIR));
        Files.write(legacy.resolve("0b2e.part"), new byte[3]);
        storage.put("backups/b1/velero-backup.json", bytes("{}"));

        assertThat(storage.sweepIncompleteUploads("", Instant.now().plusSeconds(5))).isOne();

        assertThat(legacy).doesNotExist();
        assertThat(storage.listAll("").map(BlobInfo::key)).containsExactly("backups/b1/velero-backup.json");
        Files.createDirectories(legacy);
        assertThat(storage.sweepIncompleteUploads("", Instant.now())).isZero();
        assertThat(legacy).doesNotExist();
    }

    @Test
    void createIfAbsentLeavesNoTemporaryFileEitherWay() {
        assertThat(storage.createIfAbsent("backups/b1/claim", bytes("one"))).isTrue();
        assertThat(storage.createIfAbsent("backups/b1/claim", bytes("two"))).isFalse();
        assertThat(storage.getBytes("backups/b1/claim")).isEqualTo(bytes("one"));
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void createIfAbsentRefusesAKeyThatIsAFolder() {
        storage.put("backups/b1/x", bytes("x"));
        assertThatThrownBy(() -> storage.createIfAbsent("backups/b1", bytes("y")))
                .isInstanceOf(StorageException.class);
        assertThat(tempFiles()).isEmpty();
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<Path> tempFiles() {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(p -> p.getFileName().toString().startsWith(LocalFolderStorageProvider.TMP_DIR)).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

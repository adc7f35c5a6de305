package io.kbackup.testkit.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.ListPage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
/**
 * The storage contract's listing tests: pages, key order, common prefixes, partial prefixes.
 * Part of {@link StorageProviderContract}, which provider tests extend.
 */
public abstract class BlobListingContract extends BlobReadWriteContract {

    /** Only the contract classes of this package extend it. */
    BlobListingContract() {}

    // ---- listing ----

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void listsManyKeysAcrossPagesInKeyOrder() throws Exception {
        requireFeature(Feature.PAGING);
        String prefix = key("many/");
        List<String> expected = writeMany(prefix, MANY_KEYS);

        List<String> seen = new ArrayList<>();
        Set<String> tokens = new HashSet<>();
        String token = null;
        int pages = 0;
        do {
            ListPage page = storage().list(prefix, null, token, 100);
            pages++;
            assertThat(pages).as("pages for %d keys at pageSize 100", MANY_KEYS).isLessThanOrEqualTo(MANY_KEYS + 1);
            assertThat(page.blobs().size()).as("page %d size", pages).isLessThanOrEqualTo(100);
            assertThat(page.commonPrefixes()).as("common prefixes without a delimiter").isEmpty();
            for (BlobInfo b : page.blobs()) {
                seen.add(b.key());
                assertThat(b.size()).as("size of %s", b.key()).isEqualTo(sizeOfMany(b.key()));
            }
            token = page.continuationToken();
            if (token != null) {
                assertThat(tokens.add(token)).as("token %s repeated", token).isTrue();
            }
        } while (token != null);

        assertThat(pages).as("pages").isGreaterThanOrEqualTo((MANY_KEYS + 99) / 100);
        assertThat(seen).as("no duplicates").doesNotHaveDuplicates();
        assertThat(seen).as("every key, in key order").containsExactlyElementsOf(expected);
        assertThat(allKeys(prefix)).as("listAll across its pages of 1,000").containsExactlyElementsOf(expected);
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void listAllStreamsEveryBlobUnderPrefixInKeyOrder() throws Exception {
        // listsManyKeysAcrossPagesInKeyOrder also runs listAll over more than one page of 1,000
        int count = 120;
        String prefix = key("all/");
        List<String> expected = writeMany(prefix, count);
        storage().put(key("all-but-not-under-prefix"), new byte[1]);

        List<String> seen = storage().listAll(prefix).map(BlobInfo::key).collect(Collectors.toList());
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void listingOrdersKeysAsStringsAcrossFolders() {
        // '-' < '.' < '/' < '0' < 'b': a key in a "folder" sorts between its neighbours by string order
        List<String> names = List.of("a-b", "a.b", "a/b", "a/c/d", "a0", "ab", "b");
        for (String n : names) {
            storage().put(key("order/" + n), bytes(n));
        }
        List<String> flat = storage().listAll(key("order/")).map(BlobInfo::key).collect(Collectors.toList());
        assertThat(flat).containsExactlyElementsOf(names.stream().map(n -> key("order/" + n)).toList());
    }

    @Test
    void listingAnEmptyPrefixGivesAnEmptyLastPage() {
        ListPage page = storage().list(key("nothing/"), null, null, 100);
        assertThat(page.blobs()).isEmpty();
        assertThat(page.commonPrefixes()).isEmpty();
        assertThat(page.continuationToken()).isNull();
        ListPage grouped = storage().list(key("nothing/"), "/", null, 100);
        assertThat(grouped.blobs()).isEmpty();
        assertThat(grouped.commonPrefixes()).isEmpty();
        assertThat(grouped.continuationToken()).isNull();
    }

    @Test
    void listsCommonPrefixesWithDelimiterAndBlobsAtThatLevel() {
        requireFeature(Feature.COMMON_PREFIXES);
        String p = key("tree/");
        for (String n : List.of("top-1.json", "top-2.json", "dir1/a", "dir1/b", "dir2/c/d", "dir3/x")) {
            storage().put(p + n, bytes(n));
        }
        storage().put(key("tree-sibling/outside"), bytes("x"));

        ListPage page = storage().list(p, "/", null, 1000);
        assertThat(page.blobs()).extracting(BlobInfo::key).containsExactly(p + "top-1.json", p + "top-2.json");
        assertThat(page.commonPrefixes()).containsExactly(p + "dir1/", p + "dir2/", p + "dir3/");
        assertThat(page.continuationToken()).isNull();

        assertThat(storage().listPrefixes(p, "/")).containsExactly(p + "dir1/", p + "dir2/", p + "dir3/");
        ListPage deeper = storage().list(p + "dir2/", "/", null, 1000);
        assertThat(deeper.blobs()).isEmpty();
        assertThat(deeper.commonPrefixes()).containsExactly(p + "dir2/c/");
        ListPage leaf = storage().list(p + "dir1/", "/", null, 1000);
        assertThat(leaf.blobs()).extracting(BlobInfo::key).containsExactly(p + "dir1/a", p + "dir1/b");
        assertThat(leaf.commonPrefixes()).isEmpty();
    }

    @Test
    void commonPrefixesArePagedWithoutDuplicates(TestReporter reporter) {
        requireFeature(Feature.COMMON_PREFIXES);
        requireFeature(Feature.PAGING);
        requireFeature(Feature.COMMON_PREFIX_PAGING);
        runExpectingKnownDivergence(Feature.COMMON_PREFIX_PAGING, reporter, this::pagesCommonPrefixesWithoutDuplicates);
    }

    private void pagesCommonPrefixesWithoutDuplicates() {
        String p = key("paged-tree/");
        List<String> expectedPrefixes = new ArrayList<>();
        List<String> expectedBlobs = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String dir = p + "backup-" + i + "/";
            expectedPrefixes.add(dir);
            storage().put(dir + "a.json", bytes("a"));
            storage().put(dir + "b.json", bytes("b"));
            String blob = p + "backup-" + i + ".txt";
            expectedBlobs.add(blob);
            storage().put(blob, bytes("t"));
        }

        List<String> prefixes = new ArrayList<>();
        List<String> blobs = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            ListPage page = storage().list(p, "/", token, 3);
            pages++;
            assertThat(pages).as("pages").isLessThanOrEqualTo(30);
            assertThat(page.blobs().size() + page.commonPrefixes().size()).as("entries on a page").isLessThanOrEqualTo(3);
            page.blobs().forEach(b -> blobs.add(b.key()));
            prefixes.addAll(page.commonPrefixes());
            token = page.continuationToken();
        } while (token != null);

        assertThat(pages).isGreaterThanOrEqualTo(5);
        assertThat(prefixes).containsExactlyElementsOf(expectedPrefixes);
        assertThat(blobs).containsExactlyElementsOf(expectedBlobs);
    }

    @Test
    void prefixMatchesPartialNames() {
        String p = key("partial/");
        for (String n : List.of("backup-1/backup-1.tar.gz", "backup-10/backup-10.tar.gz", "backup-2", "other")) {
            storage().put(p + n, bytes(n));
        }
        assertThat(storage().listAll(p + "backup-1").map(BlobInfo::key))
                .containsExactly(p + "backup-1/backup-1.tar.gz", p + "backup-10/backup-10.tar.gz");
        assertThat(storage().listAll(p + "back").map(BlobInfo::key))
                .containsExactly(p + "backup-1/backup-1.tar.gz", p + "backup-10/backup-10.tar.gz", p + "backup-2");
        assertThat(storage().listAll(p + "backup-10/backup-1").map(BlobInfo::key))
                .containsExactly(p + "backup-10/backup-10.tar.gz");
        assertThat(storage().listAll(p + "zzz").map(BlobInfo::key)).isEmpty();
    }

    @Test
    void partialPrefixWithDelimiterGroupsMatchingFolders() {
        requireFeature(Feature.COMMON_PREFIXES);
        String p = key("partial-tree/");
        for (String n : List.of("backup-1/x", "backup-10/y", "backup-2", "other/z")) {
            storage().put(p + n, bytes(n));
        }
        ListPage page = storage().list(p + "back", "/", null, 1000);
        assertThat(page.commonPrefixes()).containsExactly(p + "backup-1/", p + "backup-10/");
        assertThat(page.blobs()).extracting(BlobInfo::key).containsExactly(p + "backup-2");
    }

}

package io.kbackup.spi.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.ListPage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pages a server made too long are cut to the size asked for, and continue after the cut. */
class PageLimitTest {

    static BlobInfo blob(String key) {
        return new BlobInfo(key, 1, null, null);
    }

    @Test
    void pageWithinTheSizeKeepsTheServicesToken() {
        ListPage page = PageLimit.limit(List.of(blob("p/a")), List.of("p/d/"), "service-token", 2);
        assertThat(page.continuationToken()).isEqualTo("service-token");
        assertThat(PageLimit.startAfter("service-token")).isNull();
    }

    @Test
    void longPageIsCutInKeyOrderAndContinuesAfterTheLastEntry() {
        ListPage page = PageLimit.limit(List.of(blob("p/a"), blob("p/c"), blob("p/e")), List.of("p/b/", "p/d/"), null, 3);
        assertThat(page.blobs()).extracting(BlobInfo::key).containsExactly("p/a", "p/c");
        assertThat(page.commonPrefixes()).containsExactly("p/b/");
        assertThat(PageLimit.startAfter(page.continuationToken())).isEqualTo("p/c");

        ListPage next = PageLimit.limit(List.of(blob("p/a")), List.of("p/b/", "p/d/"), null, 2);
        String after = PageLimit.startAfter(next.continuationToken());
        assertThat(after).startsWith("p/b/");
        assertThat(after.compareTo("p/b/zzzz")).as("skips every key under the prefix").isPositive();
        assertThat(after.compareTo("p/c")).isNegative();
    }
}

package io.kbackup.spi.support;

import io.kbackup.spi.BlobInfo;
import io.kbackup.spi.ListPage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Keeps a listing page within the size the caller asked for when a service returns more (some
 * S3-compatible servers do not count common prefixes against max-keys). The rest is fetched with a
 * token of our own that carries a StartAfter key; the service's own tokens pass through untouched.
 */
public final class PageLimit {

    private static final String MARK = "kbackup-start-after:";
    /** Sorts after every key that starts with a given prefix (U+10FFFF). */
    private static final String AFTER_PREFIX = "\uDBFF\uDFFF";

    private PageLimit() {}

    /** The StartAfter key of one of our tokens, or {@code null} for a service token (or none). */
    public static String startAfter(String token) {
        if (token == null || !token.startsWith(MARK)) {
            return null;
        }
        return new String(Base64.getUrlDecoder().decode(token.substring(MARK.length())), StandardCharsets.UTF_8);
    }

    /** The page, cut to {@code pageSize} entries in key order when the service gave more. */
    public static ListPage limit(List<BlobInfo> blobs, List<String> prefixes, String serviceToken, int pageSize) {
        if (blobs.size() + prefixes.size() <= pageSize) {
            return new ListPage(blobs, prefixes, serviceToken);
        }
        List<BlobInfo> keptBlobs = new ArrayList<>();
        List<String> keptPrefixes = new ArrayList<>();
        int b = 0;
        int p = 0;
        String last = null;
        while (keptBlobs.size() + keptPrefixes.size() < pageSize) {
            boolean takeBlob = p >= prefixes.size()
                    || (b < blobs.size() && blobs.get(b).key().compareTo(prefixes.get(p)) < 0);
            if (takeBlob) {
                keptBlobs.add(blobs.get(b));
                last = blobs.get(b++).key();
            } else {
                keptPrefixes.add(prefixes.get(p));
                last = prefixes.get(p++) + AFTER_PREFIX;
            }
        }
        String token = MARK + Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8));
        return new ListPage(keptBlobs, keptPrefixes, token);
    }
}

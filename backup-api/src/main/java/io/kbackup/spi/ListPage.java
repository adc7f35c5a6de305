package io.kbackup.spi;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing.
 *
 * @param blobs             blobs on this page, in key order
 * @param commonPrefixes    with a delimiter: the "folders" one level below the prefix, each ending
 *                          with the delimiter; empty without a delimiter
 * @param continuationToken the token for the next page, or {@code null} on the last page
 */
public record ListPage(List<BlobInfo> blobs, List<String> commonPrefixes, String continuationToken) {
    public ListPage {
        blobs = List.copyOf(blobs);
        commonPrefixes = List.copyOf(commonPrefixes);
    }

    /** The token for the next page, if there is one. */
    public Optional<String> next() {
        return Optional.ofNullable(continuationToken);
    }
}

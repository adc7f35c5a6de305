package io.kbackup.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * What a storage provider knows of one stored blob.
 *
 * @param key          the full key, relative to the location's bucket (the location prefix is
 *                     part of it: providers do not strip it)
 * @param size         bytes
 * @param lastModified when the service last wrote it; may be {@code null} when unknown
 * @param etag         the service's entity tag or checksum, opaque; may be {@code null}
 */
public record BlobInfo(String key, long size, Instant lastModified, String etag) {
    public BlobInfo {
        Objects.requireNonNull(key, "key");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
    }
}

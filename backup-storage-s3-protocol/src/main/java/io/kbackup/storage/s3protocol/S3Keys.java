package io.kbackup.storage.s3protocol;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/** Keys, paths and ETags as the S3 protocol has them. */
public final class S3Keys {

    private S3Keys() {}

    /** Checks that {@code key} is usable as an object key; returns it. */
    public static String checkKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        return key;
    }

    /** {@code s3://bucket/key}, for messages. */
    public static String path(String bucket, String key) {
        return "s3://" + bucket + "/" + key;
    }

    /** The ETag without the quotes the protocol puts around it; {@code null} stays {@code null}. */
    public static String etag(String etag) {
        if (etag == null) {
            return null;
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1) : etag;
    }

    /** The bucket of a message's {@code s3://bucket/key ...} place. */
    static String bucketOf(String where) {
        String rest = where.startsWith("s3://") ? where.substring(5) : where;
        int slash = rest.indexOf('/');
        int space = rest.indexOf(' ');
        int end = slash < 0 ? space : space < 0 ? slash : Math.min(slash, space);
        return end < 0 ? rest : rest.substring(0, end);
    }

    /**
     * The retain-until date to send for an object lock: whole seconds (S3 keeps no more, and some
     * servers refuse a fraction), rounded up so that the lock never ends before the time asked for.
     */
    public static Instant lockUntil(Instant until) {
        Instant seconds = until.truncatedTo(ChronoUnit.SECONDS);
        return seconds.equals(until) ? until : seconds.plusSeconds(1);
    }
}

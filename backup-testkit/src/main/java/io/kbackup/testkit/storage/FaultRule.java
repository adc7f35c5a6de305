package io.kbackup.testkit.storage;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/** One fault of a {@link FaultInjectingStorageProvider}: which calls, on which keys, how often, failing how. */
final class FaultRule {

    /** The kinds of call a fault can hit. */
    enum Kind { WRITE, COMMIT, GET, HEAD, LIST, DELETE }

    final Kind kind;
    final Predicate<String> keys;
    final AtomicInteger remaining; // negative: always
    final long bytes;
    final Function<String, ? extends RuntimeException> exception;

    FaultRule(Kind kind, Predicate<String> keys, int times, long bytes, Function<String, ? extends RuntimeException> exception) {
        this.kind = kind;
        this.keys = Objects.requireNonNull(keys, "keys");
        this.remaining = new AtomicInteger(times);
        this.bytes = bytes;
        this.exception = exception;
    }

    /** {@code times} if it is a count of at least one, or {@code -1} (always). */
    static int checkTimes(int times) {
        if (times == 0 || times < -1) {
            throw new IllegalArgumentException("times must be >= 1, was " + times);
        }
        return times;
    }

    boolean matches(String key) {
        return keys.test(key);
    }

    /** Whether this rule fires for the key now, using up one of its times. */
    boolean fire(String key) {
        if (!matches(key)) {
            return false;
        }
        if (remaining.get() < 0) {
            return true;
        }
        return remaining.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0;
    }
}

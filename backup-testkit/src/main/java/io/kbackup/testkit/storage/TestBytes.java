package io.kbackup.testkit.storage;

import java.util.Random;

/** Test data for storage tests: bytes that do not compress, the same on every run. */
public final class TestBytes {
    private TestBytes() {}

    /** {@code size} bytes of noise, seeded by the size: the same bytes for the same size. */
    public static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }
}

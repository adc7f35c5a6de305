package io.kbackup.core.internal.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ParallelGzipOutputStreamTest {

    /** Text with repeats across block boundaries, random bytes, and sizes around the block size. */
    private static byte[] content(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        while (out.size() < size) {
            if (random.nextInt(4) == 0) {
                byte[] noise = new byte[random.nextInt(1, 5000)];
                random.nextBytes(noise);
                out.writeBytes(noise);
            } else {
                out.writeBytes(("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-" + random.nextInt(1000)
                        + "\"}}\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] b = out.toByteArray();
        return java.util.Arrays.copyOf(b, size);
    }

    private static byte[] compress(byte[] input, int threads, long seed) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        SplittableRandom random = new SplittableRandom(seed);
        try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(sink, Deflater.BEST_SPEED, threads)) {
            int off = 0;
            while (off < input.length) {
                int n = Math.min(input.length - off, random.nextInt(1, 70_000));
                if (n == 1) {
                    gz.write(input[off]);
                } else {
                    gz.write(input, off, n);
                }
                off += n;
            }
        }
        return sink.toByteArray();
    }

    @Test
    void oneMemberThatTheStrictReaderReadsBack() throws IOException {
        for (int size : new int[] {0, 1, ParallelGzipOutputStream.BLOCK - 1, ParallelGzipOutputStream.BLOCK,
                ParallelGzipOutputStream.BLOCK + 1, 3 * ParallelGzipOutputStream.BLOCK, 2_500_000}) {
            byte[] input = content(size, size);
            for (int threads : new int[] {1, 3}) {
                byte[] gz = compress(input, threads, size + threads);
                // SingleGzipMember refuses a second member or anything after the trailer, and checks CRC and size
                try (SingleGzipMember in = new SingleGzipMember(new ByteArrayInputStream(gz))) {
                    assertThat(in.readAllBytes()).as("size %d, %d threads", size, threads).isEqualTo(input);
                }
            }
        }
    }

    @Test
    void hardlyLargerThanOneDeflater() throws IOException {
        byte[] input = content(4_000_000, 7);
        ByteArrayOutputStream serial = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(serial) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            gz.write(input);
        }
        byte[] parallel = compress(input, 2, 1);
        // the previous 32 KiB is each block's dictionary: only block ends cost a few bytes
        assertThat((double) parallel.length).isLessThan(serial.size() * 1.01);
    }

    @Test
    void refusesWritesAfterFinish() throws IOException {
        ParallelGzipOutputStream gz = new ParallelGzipOutputStream(new ByteArrayOutputStream(), 1, 1);
        gz.finish();
        assertThatThrownBy(() -> gz.write(new byte[1], 0, 1)).isInstanceOf(IOException.class).hasMessageContaining("finished");
        assertThatThrownBy(() -> new ParallelGzipOutputStream(new ByteArrayOutputStream(), 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

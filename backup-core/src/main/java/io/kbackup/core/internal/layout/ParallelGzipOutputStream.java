package io.kbackup.core.internal.layout;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * One standard gzip member (RFC 1952) compressed on several threads, as pigz does: the input is
 * cut into blocks of {@value #BLOCK} bytes, each block is deflated on its own with the previous
 * 32 KiB as preset dictionary (so matches reach back across block boundaries and the output is
 * hardly larger than one deflater's) and ends with a sync flush on a byte boundary; the last ends
 * the deflate stream. The blocks' outputs are written in order, framed by one gzip header and one
 * trailer (CRC-32 and size of all input), so any gzip reader (GNU tar, Go's {@code compress/gzip},
 * Velero) sees a single member.
 *
 * <p>The CRC-32 is computed on the caller's thread as bytes are written; compressed bytes reach
 * {@code out} on the caller's thread too, in order, as blocks complete. At most
 * {@code 2 x threads} blocks are in flight. With one thread it still takes deflate off the
 * caller's thread. Idle threads end after 2 s, so an abandoned stream leaves no thread behind (and its
 * deflaters are freed when collected). {@link #finish()} ends the member and the threads; {@link #close()} finishes
 * and closes {@code out}. Not thread-safe (one writer).
 */
public final class ParallelGzipOutputStream extends OutputStream {
    /** Input bytes per independently deflated block (pigz's default). */
    static final int BLOCK = 128 * 1024;
    private static final int DICT = 32 * 1024;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final OutputStream out;
    private final int level;
    private final ExecutorService pool;
    private final int maxInFlight;
    private final ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Deflater> deflaters = new ConcurrentLinkedQueue<>();
    private final CRC32 crc = new CRC32();
    private byte[] block = new byte[BLOCK];
    private int filled;
    private byte[] dictionary;
    private long size;
    private boolean finished;

    /**
     * Writes the gzip header to {@code out}.
     *
     * @param level   deflate level, 1 (fastest) to 9
     * @param threads deflating threads, at least 1 (their own, ended by {@link #finish()})
     */
    public ParallelGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
        this.out = Objects.requireNonNull(out, "out");
        if (level < Deflater.BEST_SPEED || level > Deflater.BEST_COMPRESSION) {
            throw new IllegalArgumentException("gzip level must be 1-9, was " + level);
        }
        this.level = level;
        int n = Math.max(1, threads);
        AtomicInteger count = new AtomicInteger();
        // idle threads end by themselves, so an archive abandoned without finish() leaves none behind
        ThreadPoolExecutor executor = new ThreadPoolExecutor(n, n, 2, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "kbackup-deflate-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
        this.pool = executor;
        this.maxInFlight = 2 * n;
        out.write(HEADER);
    }

    /** Threads worth using on this machine for deflate: the cores, at most 4. */
    public static int defaultThreads() {
        return Math.min(4, Runtime.getRuntime().availableProcessors());
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (finished) {
            throw new IOException("gzip stream already finished");
        }
        crc.update(b, off, len);
        size += len;
        while (len > 0) {
            int n = Math.min(len, BLOCK - filled);
            System.arraycopy(b, off, block, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == BLOCK) {
                submit(false);
            }
        }
        drain(false);
    }

    /** Compressed bytes of blocks already done reach {@code out}; the current partial block stays. */
    @Override
    public void flush() throws IOException {
        drain(false);
        out.flush();
    }

    /** Deflates the rest, writes the trailer and stops the threads; {@code out} stays open. Idempotent. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        try {
            submit(true);
            drain(true);
            long c = crc.getValue();
            byte[] trailer = new byte[8];
            for (int i = 0; i < 4; i++) {
                trailer[i] = (byte) (c >>> (8 * i));
                trailer[4 + i] = (byte) (size >>> (8 * i));
            }
            out.write(trailer);
            finished = true;
        } finally {
            if (!finished) {
                inFlight.forEach(f -> f.cancel(true));
                inFlight.clear();
            }
            pool.shutdownNow();
            Deflater d;
            while ((d = deflaters.poll()) != null) {
                d.end();
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            out.close();
        }
    }

    private void submit(boolean last) throws IOException {
        byte[] input = block;
        int length = filled;
        byte[] dict = dictionary;
        if (!last) {
            dictionary = Arrays.copyOfRange(input, length - DICT, length);
            block = new byte[BLOCK];
            filled = 0;
        }
        while (inFlight.size() >= maxInFlight) {
            writeHead(true);
        }
        inFlight.add(pool.submit(() -> deflate(input, length, dict, last)));
    }

    private byte[] deflate(byte[] input, int length, byte[] dict, boolean last) {
        Deflater d = deflaters.poll();
        if (d == null) {
            d = new Deflater(level, true);
        }
        try {
            if (dict != null) {
                d.setDictionary(dict);
            }
            d.setInput(input, 0, length);
            if (last) {
                d.finish();
            }
            byte[] buf = new byte[length + length / 8 + 64];
            int n = 0;
            while (true) {
                n += d.deflate(buf, n, buf.length - n, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
                if (last ? d.finished() : n < buf.length) {
                    break;
                }
                if (n == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
            }
            return Arrays.copyOf(buf, n);
        } finally {
            d.reset();
            deflaters.add(d);
        }
    }

    /** Writes finished blocks in order; with {@code all}, waits for every block in flight. */
    private void drain(boolean all) throws IOException {
        while (!inFlight.isEmpty() && (all || inFlight.peek().isDone())) {
            writeHead(true);
        }
    }

    private void writeHead(boolean wait) throws IOException {
        Future<byte[]> f = inFlight.peek();
        if (f == null || (!wait && !f.isDone())) {
            return;
        }
        byte[] compressed;
        try {
            compressed = f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            throw new IOException("deflate failed: " + e.getCause(), e.getCause());
        }
        inFlight.poll();
        out.write(compressed);
    }
}

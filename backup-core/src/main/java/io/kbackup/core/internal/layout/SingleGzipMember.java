package io.kbackup.core.internal.layout;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Reads exactly one gzip member (RFC 1952) and requires the stream to end with it: a second member
 * or any data after the member's trailer is refused, as Velero writes one member and nothing after
 * it. ({@link java.util.zip.GZIPInputStream} reads concatenated members as one stream and silently
 * ignores trailing garbage.) The CRC-32 and length in the trailer are checked. Not thread-safe.
 */
final class SingleGzipMember extends InputStream {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final InputStream in;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] buf = new byte[64 * 1024];
    private int bufLength;
    private long size;
    private boolean ended;

    /**
     * @param in the compressed stream (not closed here)
     * @throws ZipException when the stream does not start with a gzip header
     */
    SingleGzipMember(InputStream in) throws IOException {
        this.in = in;
        readHeader();
    }

    private void readHeader() throws IOException {
        if (headerByte() != 0x1f || headerByte() != 0x8b) {
            throw new ZipException("Not in GZIP format");
        }
        if (headerByte() != 8) {
            throw new ZipException("Unsupported compression method");
        }
        int flags = headerByte();
        if ((flags & 0xe0) != 0) {
            throw new ZipException("reserved gzip header flags are set");
        }
        for (int i = 0; i < 6; i++) {
            headerByte(); // MTIME, XFL, OS
        }
        if ((flags & FEXTRA) != 0) {
            int length = headerByte() | headerByte() << 8;
            for (int i = 0; i < length; i++) {
                headerByte();
            }
        }
        if ((flags & FNAME) != 0) {
            while (headerByte() != 0) {
                // skip the file name
            }
        }
        if ((flags & FCOMMENT) != 0) {
            while (headerByte() != 0) {
                // skip the comment
            }
        }
        if ((flags & FHCRC) != 0) {
            headerByte();
            headerByte();
        }
    }

    private int headerByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the gzip header is truncated");
        }
        return b;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (ended) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        while (true) {
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new ZipException(e.getMessage() == null ? "invalid deflate data" : e.getMessage());
            }
            if (n > 0) {
                crc.update(b, off, n);
                size += n;
                return n;
            }
            if (inflater.finished()) {
                readTrailer();
                return -1;
            }
            if (inflater.needsDictionary()) {
                throw new ZipException("the deflate data asks for a preset dictionary");
            }
            if (inflater.needsInput()) {
                bufLength = in.read(buf, 0, buf.length);
                if (bufLength < 0) {
                    throw new EOFException("Unexpected end of ZLIB input stream");
                }
                inflater.setInput(buf, 0, bufLength);
            }
        }
    }

    private void readTrailer() throws IOException {
        int left = inflater.getRemaining();
        int at = bufLength - left;
        inflater.end();
        byte[] trailer = new byte[8];
        int have = Math.min(8, left);
        System.arraycopy(buf, at, trailer, 0, have);
        at += have;
        left -= have;
        if (have < 8 && in.readNBytes(trailer, have, 8 - have) < 8 - have) {
            throw new EOFException("the gzip trailer is truncated");
        }
        long storedCrc = le32(trailer, 0);
        long storedSize = le32(trailer, 4);
        if (storedCrc != crc.getValue()) {
            throw new ZipException("Corrupt GZIP trailer (CRC-32 mismatch)");
        }
        if (storedSize != (size & 0xffffffffL)) {
            throw new ZipException("Corrupt GZIP trailer (length mismatch)");
        }
        int next = left > 0 ? buf[at] & 0xff : in.read();
        if (next >= 0) {
            int second = left > 1 ? buf[at + 1] & 0xff : left == 1 ? in.read() : -2;
            throw new ZipException(next == 0x1f && second == 0x8b ? "a second gzip member follows the first; backups are one member"
                    : "there is data after the end of the gzip stream");
        }
        ended = true;
    }

    private static long le32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    @Override
    public void close() {
        inflater.end();
    }
}

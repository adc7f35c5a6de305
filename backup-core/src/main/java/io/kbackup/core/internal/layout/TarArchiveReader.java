package io.kbackup.core.internal.layout;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A streaming reader of POSIX tar (USTAR, with PAX extended headers and GNU long names), as Go's
 * {@code archive/tar} and GNU tar write it. It reads one entry at a time and never buffers an
 * entry's content; extended headers ({@code x}, {@code g}, {@code L}) are consumed here and
 * applied to the next entry, every other entry type is returned to the caller, which decides what
 * it accepts. Not thread-safe.
 */
public final class TarArchiveReader {

    /** The stream is not a well-formed tar archive. */
    public static final class TarFormatException extends IOException {
        private static final long serialVersionUID = 1L;

        TarFormatException(String message) {
            super(message);
        }
    }

    /**
     * One entry's header, after extended headers were applied.
     *
     * @param name the entry's path
     * @param type the type flag ({@code '0'} or NUL for a regular file)
     * @param size the content length in bytes
     */
    public record Header(String name, char type, long size) {
        public boolean isRegularFile() {
            return type == '0' || type == '\0';
        }
    }

    private static final int BLOCK = 512;

    private final InputStream in;
    private final long maxHeaderBytes;
    private final byte[] block = new byte[BLOCK];
    private long remaining;
    private long padding;
    private boolean ended;

    /**
     * @param in             the uncompressed tar stream (not closed by this reader)
     * @param maxHeaderBytes the largest PAX or GNU long-name header content accepted
     */
    public TarArchiveReader(InputStream in, long maxHeaderBytes) {
        this.in = in;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    /** The next entry, or {@code null} at the end-of-archive marker. Skips what is left of the previous entry. */
    public Header next() throws IOException {
        if (ended) {
            return null;
        }
        skipRest();
        String longName = null;
        String paxPath = null;
        Long paxSize = null;
        while (true) {
            readBlock();
            if (allZero(block)) {
                if (longName != null || paxPath != null || paxSize != null) {
                    throw new TarFormatException("an extended header is not followed by an entry");
                }
                // as Go's archive/tar: a zero block ends the archive only when the stream ends or a second one follows
                int n = in.readNBytes(block, 0, BLOCK);
                if (n > 0 && (n < BLOCK || !allZero(block))) {
                    throw new TarFormatException("a single zero block is followed by more data (entries after a broken"
                            + " end-of-archive marker)");
                }
                ended = true;
                return null;
            }
            verifyChecksum();
            char type = (char) (block[156] & 0xff);
            long size = number(124, 12, "size");
            String name = headerName();
            switch (type) {
                case 'x' -> {
                    PaxRecords records = PaxRecords.parse(readExtension(size, "PAX header"));
                    if (records.path != null) {
                        paxPath = records.path;
                    }
                    if (records.size != null) {
                        paxSize = records.size;
                    }
                }
                case 'g' -> readExtension(size, "PAX global header"); // nothing in it applies to our entries
                case 'L' -> longName = trimNul(new String(readExtension(size, "GNU long name"), StandardCharsets.UTF_8));
                default -> {
                    String finalName = paxPath != null ? paxPath : longName != null ? longName : name;
                    long finalSize = paxSize != null ? paxSize : size;
                    if (type != '0' && type != '\0') {
                        // links, directories, devices: no content of their own (except what size says)
                        finalSize = size;
                    }
                    remaining = finalSize;
                    padding = pad(finalSize);
                    return new Header(finalName, type, finalSize);
                }
            }
        }
    }

    /** The content of the entry last returned by {@link #next()}; reading past its end returns -1. */
    public InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("tar entry is truncated");
                }
                remaining--;
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int n = in.read(buf, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new EOFException("tar entry is truncated");
                }
                remaining -= n;
                return n;
            }
        };
    }

    private void skipRest() throws IOException {
        skipFully(remaining + padding);
        remaining = 0;
        padding = 0;
    }

    private byte[] readExtension(long size, String what) throws IOException {
        if (size > maxHeaderBytes) {
            throw new TarFormatException(what + " of " + size + " bytes is larger than the limit of " + maxHeaderBytes);
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new EOFException(what + " is truncated");
        }
        skipFully(pad(size));
        return data;
    }

    private void readBlock() throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) {
            throw new EOFException("the archive ends without an end-of-archive marker (truncated?)");
        }
        if (n < BLOCK) {
            throw new EOFException("the archive ends inside a header block (truncated?)");
        }
    }

    private void skipFully(long n) throws IOException {
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("tar entry is truncated");
                }
                skipped = 1;
            }
            n -= skipped;
        }
    }

    private String headerName() {
        String name = string(0, 100);
        String magic = new String(block, 257, 6, StandardCharsets.US_ASCII);
        if (magic.equals("ustar\0")) { // POSIX: a prefix field; GNU ("ustar  ") uses those bytes otherwise
            String prefix = string(345, 155);
            if (!prefix.isEmpty()) {
                return prefix + "/" + name;
            }
        }
        return name;
    }

    private String string(int offset, int length) {
        int end = offset;
        while (end < offset + length && block[end] != 0) {
            end++;
        }
        return new String(block, offset, end - offset, StandardCharsets.UTF_8);
    }

    private long number(int offset, int length, String field) throws TarFormatException {
        if ((block[offset] & 0x80) != 0) { // base-256 (GNU/star) for large values
            if ((block[offset] & 0x40) != 0) {
                throw new TarFormatException("negative " + field + " in a tar header");
            }
            long v = block[offset] & 0x3f;
            for (int i = 1; i < length; i++) {
                if ((v >>> 55) != 0) {
                    throw new TarFormatException(field + " in a tar header is too large");
                }
                v = (v << 8) | (block[offset + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        int i = offset;
        int end = offset + length;
        while (i < end && (block[i] == ' ' || block[i] == 0)) {
            i++;
        }
        boolean digits = false;
        for (; i < end; i++) {
            byte b = block[i];
            if (b == ' ' || b == 0) {
                break;
            }
            if (b < '0' || b > '7') {
                throw new TarFormatException("invalid " + field + " in a tar header (not an octal number)");
            }
            v = (v << 3) + (b - '0');
            digits = true;
        }
        return digits ? v : 0;
    }

    private void verifyChecksum() throws TarFormatException {
        long stored = number(148, 8, "checksum");
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = (i >= 148 && i < 156) ? ' ' : block[i];
            unsigned += b & 0xff;
            signed += (i >= 148 && i < 156) ? ' ' : block[i];
        }
        if (stored != unsigned && stored != signed) {
            throw new TarFormatException("tar header checksum mismatch (not a tar archive, or damaged)");
        }
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static long pad(long size) {
        long r = size % BLOCK;
        return r == 0 ? 0 : BLOCK - r;
    }

    private static String trimNul(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\0') {
            end--;
        }
        return s.substring(0, end);
    }

    /** The records of a PAX extended header that matter here: {@code path} and {@code size}. */
    private record PaxRecords(String path, Long size) {
        static PaxRecords parse(byte[] bytes) throws TarFormatException {
            String path = null;
            Long size = null;
            int pos = 0;
            // records are "<len> <key>=<value>\n", len counting the whole record in bytes
            while (pos < bytes.length) {
                int space = pos;
                while (space < bytes.length && bytes[space] != ' ') {
                    space++;
                }
                int len;
                try {
                    len = Integer.parseInt(new String(bytes, pos, space - pos, StandardCharsets.US_ASCII));
                } catch (NumberFormatException e) {
                    throw new TarFormatException("malformed PAX record length");
                }
                if (len <= space - pos + 1 || pos + len > bytes.length || bytes[pos + len - 1] != '\n') {
                    throw new TarFormatException("malformed PAX record");
                }
                String record = new String(bytes, space + 1, pos + len - space - 2, StandardCharsets.UTF_8);
                int eq = record.indexOf('=');
                if (eq <= 0) {
                    throw new TarFormatException("malformed PAX record (no key)");
                }
                String key = record.substring(0, eq);
                String value = record.substring(eq + 1);
                if (key.equals("path")) {
                    path = value;
                } else if (key.equals("size")) {
                    try {
                        size = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new TarFormatException("malformed PAX size record");
                    }
                    if (size < 0) {
                        throw new TarFormatException("negative PAX size");
                    }
                }
                pos += len;
            }
            return new PaxRecords(path, size);
        }
    }
}

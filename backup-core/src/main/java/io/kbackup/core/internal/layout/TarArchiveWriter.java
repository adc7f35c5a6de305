package io.kbackup.core.internal.layout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * A small streaming POSIX tar writer: USTAR headers, a PAX extended header ({@code typeflag 'x'},
 * record {@code path=...}) before any entry whose name does not fit USTAR's 100-byte name field
 * or is not plain ASCII. Regular files only, no directory entries (as Velero's archives). Entries
 * are written whole from memory (Kubernetes objects are small); nothing else is buffered.
 *
 * <p>{@link #finish()} writes the two zero blocks that end the archive; it does not close the
 * underlying stream. Not thread-safe.
 */
public final class TarArchiveWriter {
    static final int BLOCK = 512;
    private static final byte[] ZEROS = new byte[BLOCK * 2];
    /** Largest size an octal 11-digit USTAR size field holds. */
    private static final long MAX_USTAR_SIZE = 077777777777L;

    private final OutputStream out;
    private final long mtimeSeconds;
    private final int mode;
    private long entries;
    private boolean finished;

    /**
     * @param out   where the tar bytes go (usually a gzip stream)
     * @param mtime modification time put on every entry
     * @param mode  file mode of every entry (Velero writes {@code 0755})
     */
    public TarArchiveWriter(OutputStream out, Instant mtime, int mode) {
        this.out = Objects.requireNonNull(out, "out");
        this.mtimeSeconds = mtime.getEpochSecond();
        this.mode = mode;
    }

    /** Writes one regular-file entry. */
    public void add(String name, byte[] content) throws IOException {
        if (finished) {
            throw new IllegalStateException("archive already finished");
        }
        if (name == null || name.isEmpty() || name.startsWith("/")) {
            throw new IllegalArgumentException("bad entry name: " + name);
        }
        if (content.length > MAX_USTAR_SIZE) {
            throw new IllegalArgumentException("entry too large for USTAR: " + name);
        }
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        boolean ascii = nameBytes.length == name.length();
        if (nameBytes.length > 100 || !ascii) {
            byte[] record = paxRecord("path", name);
            String paxName = paxHeaderName(name);
            out.write(header(paxName, record.length, (byte) 'x'));
            out.write(record);
            pad(record.length);
            out.write(header(asciiPrefix(name), content.length, (byte) '0'));
        } else {
            out.write(header(name, content.length, (byte) '0'));
        }
        out.write(content);
        pad(content.length);
        entries++;
    }

    /** Number of entries written (PAX headers not counted). */
    public long entries() {
        return entries;
    }

    /** Writes the end-of-archive marker (two zero blocks). Idempotent. */
    public void finish() throws IOException {
        if (!finished) {
            out.write(ZEROS);
            finished = true;
        }
    }

    private void pad(long length) throws IOException {
        int rest = (int) (length % BLOCK);
        if (rest != 0) {
            out.write(ZEROS, 0, BLOCK - rest);
        }
    }

    private byte[] header(String name, long size, byte type) {
        byte[] h = new byte[BLOCK];
        putString(h, 0, 100, name);
        putOctal(h, 100, 8, mode);
        putOctal(h, 108, 8, 0);
        putOctal(h, 116, 8, 0);
        putOctal(h, 124, 12, size);
        putOctal(h, 136, 12, mtimeSeconds);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        h[156] = type;
        putString(h, 257, 6, "ustar");
        h[263] = '0';
        h[264] = '0';
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        putOctal(h, 148, 7, sum);
        h[155] = ' ';
        return h;
    }

    /** PAX record {@code "<len> key=value\n"}, where len counts the whole record including itself. */
    static byte[] paxRecord(String key, String value) {
        int body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
        int len = body + String.valueOf(body).length();
        if (String.valueOf(len).length() != String.valueOf(body).length()) {
            len++;
        }
        return (len + " " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String paxHeaderName(String name) {
        int slash = name.lastIndexOf('/');
        String base = slash >= 0 ? name.substring(slash + 1) : name;
        return asciiPrefix("PaxHeaders.0/" + base);
    }

    /** The name cut to 100 ASCII bytes (non-ASCII replaced), for the USTAR field behind a PAX path. */
    private static String asciiPrefix(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length() && sb.length() < 100; i++) {
            char c = name.charAt(i);
            sb.append(c < 0x80 ? c : '_');
        }
        return sb.toString();
    }

    private static void putString(byte[] h, int off, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, Math.min(len, b.length));
    }

    /** Zero-padded octal in {@code len-1} digits followed by NUL. */
    private static void putOctal(byte[] h, int off, int len, long value) {
        String s = Long.toOctalString(value);
        int digits = len - 1;
        if (s.length() > digits) {
            throw new IllegalArgumentException("value " + value + " does not fit a " + len + "-byte tar field");
        }
        int pad = digits - s.length();
        for (int i = 0; i < pad; i++) {
            h[off + i] = '0';
        }
        for (int i = 0; i < s.length(); i++) {
            h[off + pad + i] = (byte) s.charAt(i);
        }
        h[off + digits] = 0;
    }
}

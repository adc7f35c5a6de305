package io.kbackup.core.internal.layout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * An independent minimal reader of gzipped tar archives for tests: USTAR headers, PAX 'x' path
 * records, checksum verified. Returns entries in archive order.
 */
public final class TestTarReader {
    private TestTarReader() {}

    public static Map<String, byte[]> readTarGz(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return readTar(in.readAllBytes());
        }
    }

    public static Map<String, byte[]> readTar(byte[] tar) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        int pos = 0;
        String paxPath = null;
        while (pos + 512 <= tar.length) {
            boolean zero = true;
            for (int i = pos; i < pos + 512; i++) {
                if (tar[i] != 0) {
                    zero = false;
                    break;
                }
            }
            if (zero) {
                break;
            }
            long sum = 0;
            for (int i = 0; i < 512; i++) {
                sum += (i >= 148 && i < 156) ? ' ' : (tar[pos + i] & 0xff);
            }
            long stored = octal(tar, pos + 148, 8);
            if (sum != stored) {
                throw new IllegalStateException("bad checksum at " + pos);
            }
            if (!new String(tar, pos + 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
                throw new IllegalStateException("not ustar at " + pos);
            }
            String name = cstring(tar, pos, 100);
            String prefix = cstring(tar, pos + 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            long size = octal(tar, pos + 124, 12);
            char type = (char) tar[pos + 156];
            byte[] data = new byte[(int) size];
            System.arraycopy(tar, pos + 512, data, 0, (int) size);
            pos += 512 + (int) ((size + 511) / 512 * 512);
            if (type == 'x') {
                paxPath = paxPath(new String(data, StandardCharsets.UTF_8));
                continue;
            }
            if (type != '0' && type != 0) {
                throw new IllegalStateException("not a regular file: " + name + " type " + type);
            }
            if (paxPath != null) {
                name = paxPath;
                paxPath = null;
            }
            out.put(name, data);
        }
        return out;
    }

    private static String paxPath(String records) {
        int i = 0;
        String path = null;
        while (i < records.length()) {
            int space = records.indexOf(' ', i);
            int len = Integer.parseInt(records.substring(i, space));
            byte[] all = records.getBytes(StandardCharsets.UTF_8);
            // lengths count bytes: re-slice on bytes
            String rec = new String(all, byteOffset(records, i), len, StandardCharsets.UTF_8);
            String kv = rec.substring(rec.indexOf(' ') + 1, rec.length() - 1);
            if (!rec.endsWith("\n")) {
                throw new IllegalStateException("bad PAX record length");
            }
            if (kv.startsWith("path=")) {
                path = kv.substring(5);
            }
            i += rec.length();
        }
        return path;
    }

    private static int byteOffset(String s, int charIndex) {
        return s.substring(0, charIndex).getBytes(StandardCharsets.UTF_8).length;
    }

    private static String cstring(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len) {
        String s = cstring(b, off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }
}

package io.kbackup.core.internal.restore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * A tiny tar.gz writer for tests, independent of the production backup writer: USTAR headers, a
 * PAX {@code path} record for names over 100 bytes, any type flag. Builds Velero's layout
 * (FORMAT.md section 2) or whatever broken archive a test needs.
 */
final class TestArchive {
    private final ByteArrayOutputStream tar = new ByteArrayOutputStream();

    /** An archive starting with {@code metadata/version} = {@code 1.1.0\n}, as Velero writes it. */
    static TestArchive velero() {
        return new TestArchive().entry("metadata/version", "1.1.0\n");
    }

    static TestArchive empty() {
        return new TestArchive();
    }

    /** An item at its classic path and again at its preferred-version path. */
    TestArchive item(String groupResource, String namespace, String name, String json) {
        String version = versionOf(json);
        String scope = namespace == null ? "cluster/" : "namespaces/" + namespace + "/";
        entry("resources/" + groupResource + "/" + scope + name + ".json", json);
        return entry("resources/" + groupResource + "/" + version + "-preferredversion/" + scope + name + ".json", json);
    }

    TestArchive entry(String name, String content) {
        return entry(name, '0', content.getBytes(StandardCharsets.UTF_8));
    }

    TestArchive entry(String name, char type, byte[] content) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100) {
            String record = " path=" + name + "\n";
            int len = record.getBytes(StandardCharsets.UTF_8).length;
            int total = len + String.valueOf(len).length();
            if (String.valueOf(total).length() != String.valueOf(len).length()) {
                total++;
            }
            byte[] pax = (total + record).getBytes(StandardCharsets.UTF_8);
            writeHeader("PaxHeaders/x", 'x', pax.length);
            writeData(pax);
        }
        writeHeader(nameBytes.length > 100 ? name.substring(0, 90) : name, type, content.length);
        writeData(content);
        return this;
    }

    /** The gzip'd archive with the end-of-archive marker. */
    byte[] tarGz() {
        return gzip(tarBytes(true));
    }

    /** The uncompressed tar, with or without the end marker. */
    byte[] tarBytes(boolean endMarker) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(tar.toByteArray());
        if (endMarker) {
            out.writeBytes(new byte[1024]);
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void writeHeader(String name, char type, long size) {
        byte[] h = new byte[512];
        put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        put(h, 100, 8, octal(0644, 8));
        put(h, 108, 8, octal(0, 8));
        put(h, 116, 8, octal(0, 8));
        put(h, 124, 12, octal(size, 12));
        put(h, 136, 12, octal(1_700_000_000L, 12));
        h[156] = (byte) type;
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 8, (String.format("%06o", sum) + "\0 ").getBytes(StandardCharsets.US_ASCII));
        tar.writeBytes(h);
    }

    private void writeData(byte[] data) {
        tar.writeBytes(data);
        int pad = (512 - data.length % 512) % 512;
        tar.writeBytes(new byte[pad]);
    }

    private static byte[] octal(long v, int width) {
        return (String.format("%0" + (width - 1) + "o", v) + "\0").getBytes(StandardCharsets.US_ASCII);
    }

    private static void put(byte[] h, int off, int len, byte[] v) {
        System.arraycopy(v, 0, h, off, Math.min(len, v.length));
    }

    private static String versionOf(String json) {
        int i = json.indexOf("\"apiVersion\":\"");
        String av = json.substring(i + 14, json.indexOf('"', i + 14));
        return av.contains("/") ? av.substring(av.indexOf('/') + 1) : av;
    }
}

package io.kbackup.storage.minio;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** A minimal reader of a gzipped POSIX tar (USTAR with PAX path records): entry name to content, in order. */
final class TarEntries {
    private TarEntries() {
    }

    static Map<String, byte[]> read(byte[] tarGz) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(tarGz)))) {
            String paxPath = null;
            byte[] header = new byte[512];
            while (true) {
                in.readFully(header);
                if (header[0] == 0) {
                    return entries;
                }
                String name = string(header, 0, 100);
                String prefix = string(header, 345, 155);
                long size = Long.parseLong(string(header, 124, 12).trim(), 8);
                char type = (char) header[156];
                byte[] content = new byte[(int) size];
                in.readFully(content);
                skip(in, (512 - size % 512) % 512);
                if (type == 'x') {
                    for (String record : new String(content, StandardCharsets.UTF_8).split("\n")) {
                        int eq = record.indexOf(" path=");
                        if (eq >= 0) {
                            paxPath = record.substring(eq + 6);
                        }
                    }
                    continue;
                }
                String full = paxPath != null ? paxPath : prefix.isEmpty() ? name : prefix + "/" + name;
                paxPath = null;
                entries.put(type == '0' || type == 0 ? full : full + " (type " + type + ")", content);
            }
        }
    }

    private static String string(byte[] b, int offset, int length) {
        int end = offset;
        while (end < offset + length && b[end] != 0) {
            end++;
        }
        return new String(b, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static void skip(InputStream in, long n) throws IOException {
        in.readNBytes((int) n);
    }
}

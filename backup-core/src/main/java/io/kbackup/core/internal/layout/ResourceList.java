package io.kbackup.core.internal.layout;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

/**
 * Velero's {@code <name>-resource-list.json.gz}: {@code "<groupVersion>/<Kind>" -> sorted
 * ["ns/name" or "name"]}, without duplicates. Holds names only (not objects), packed: each type's
 * names as UTF-8 bytes with a length prefix (a few bytes more than the name, where a sorted set of
 * strings costs about 110 bytes per name), so a backup of a million objects keeps tens of MiB here,
 * not hundreds. A list's items arrive in the server's key order, which is this list's order, so
 * the usual case needs no sort; a type whose names came out of order is sorted (as strings) when the
 * file is written. Thread-safe.
 */
public final class ResourceList {
    private final Map<String, Names> entries = new TreeMap<>();

    /** Records one backed-up item. */
    public synchronized void add(String groupVersion, String kind, String namespace, String name) {
        entries.computeIfAbsent(groupVersion + "/" + kind, k -> new Names())
                .add(namespace == null || namespace.isEmpty() ? name : namespace + "/" + name);
    }

    /** The JSON map (for tests and small lists; {@link #gzipJson()} writes it without building it). */
    public synchronized ObjectNode toJson() {
        ObjectNode n = GzipJson.MAPPER.createObjectNode();
        entries.forEach((k, v) -> {
            ArrayNode a = n.putArray(k);
            v.forEachSorted(a::add);
        });
        return n;
    }

    /** The gzipped file: compact JSON plus {@code \n}, as {@link GzipJson#gzipJson} writes {@link #toJson()}. */
    public synchronized byte[] gzipJson() {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos);
             JsonGenerator g = GzipJson.MAPPER.getFactory().createGenerator(gz)) {
            g.writeStartObject();
            for (Map.Entry<String, Names> e : entries.entrySet()) {
                g.writeArrayFieldStart(e.getKey());
                e.getValue().forEachSorted(s -> {
                    try {
                        g.writeString(s);
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                });
                g.writeEndArray();
            }
            g.writeEndObject();
            g.flush();
            gz.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /** One type's names: UTF-8, each after its length (varint), in arrival order. */
    private static final class Names {
        private byte[] buf = new byte[256];
        private int size;
        private int count;
        private String last;
        private boolean sorted = true;

        void add(String name) {
            if (last != null) {
                int c = name.compareTo(last);
                if (c == 0) {
                    return; // the same as the previous one
                }
                if (c < 0) {
                    sorted = false;
                }
            }
            last = name;
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            ensure(b.length + 5);
            for (int v = b.length; ; v >>>= 7) {
                if (v < 0x80) {
                    buf[size++] = (byte) v;
                    break;
                }
                buf[size++] = (byte) (v & 0x7f | 0x80);
            }
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
            count++;
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(size + more, buf.length + (buf.length >> 1)));
            }
        }

        /** Each distinct name once, in string order. */
        void forEachSorted(Consumer<String> action) {
            if (sorted) {
                forEach(action);
                return;
            }
            String[] all = new String[count];
            int[] i = {0};
            forEach(s -> all[i[0]++] = s);
            Arrays.sort(all);
            for (int k = 0; k < all.length; k++) {
                if (k == 0 || !all[k].equals(all[k - 1])) {
                    action.accept(all[k]);
                }
            }
        }

        private void forEach(Consumer<String> action) {
            int p = 0;
            while (p < size) {
                int len = 0;
                for (int shift = 0; ; shift += 7) {
                    byte b = buf[p++];
                    len |= (b & 0x7f) << shift;
                    if (b >= 0) {
                        break;
                    }
                }
                action.accept(new String(buf, p, len, StandardCharsets.UTF_8));
                p += len;
            }
        }
    }
}

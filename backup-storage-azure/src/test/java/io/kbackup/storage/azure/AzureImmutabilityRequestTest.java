package io.kbackup.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kbackup.BackupLocation;
import io.kbackup.Credentials;
import io.kbackup.ObjectLock;
import io.kbackup.spi.BlobWriter;
import io.kbackup.spi.Retention;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Azure version-level immutability through the azure provider, as a contract test against the
 * requests the Azure SDK sends: Azurite implements no immutability policies (Azure/Azurite#2648),
 * so a local HTTP stand-in records the requests and answers as the Blob service documents. Checks
 * that a locked write (Put Blob, and Put Block List for a blob of several blocks) carries
 * {@code x-ms-immutability-policy-until-date} and {@code x-ms-immutability-policy-mode}, that the
 * container's {@code x-ms-immutable-storage-with-versioning-enabled} is read as the capability, and
 * a blob's policy headers as its retention. The service's enforcement is not tested here.
 */
class AzureImmutabilityRequestTest {

    private record Request(String method, String pathAndQuery, Map<String, List<String>> headers) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }
    }

    private static final Instant UNTIL = Instant.parse("2030-01-02T03:04:05Z");
    private static final String RFC1123 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .format(UNTIL.atOffset(ZoneOffset.UTC));

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private StorageProvider storage;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        String endpoint = "http://127.0.0.1:" + server.getAddress().getPort() + "/" + Azurite.ACCOUNT;
        BackupLocation location = BackupLocation.builder().provider("azure").bucket("worm").endpoint(endpoint)
                .config(AzureConfig.STORAGE_ACCOUNT, Azurite.ACCOUNT)
                .config(AzureConfig.BLOCK_SIZE_IN_BYTES, String.valueOf(AzureConfig.MIN_BLOCK_SIZE))
                .credentials(Credentials.azureAccountKey(Azurite.ACCOUNT, Azurite.KEY))
                .objectLock(ObjectLock.GOVERNANCE).build();
        storage = StorageProviders.discover().open(location);
    }

    @AfterEach
    void stop() {
        storage.close();
        server.stop(0);
    }

    private void answer(HttpExchange x) throws IOException {
        String q = x.getRequestURI().getRawQuery() == null ? "" : "?" + x.getRequestURI().getRawQuery();
        requests.add(new Request(x.getRequestMethod(), x.getRequestURI().getPath() + q, Map.copyOf(x.getRequestHeaders())));
        x.getRequestBody().readAllBytes();
        var h = x.getResponseHeaders();
        h.add("x-ms-request-id", "r1");
        h.add("x-ms-version", "2025-11-05");
        h.add("ETag", "\"0x1\"");
        h.add("Last-Modified", "Wed, 01 Jan 2025 00:00:00 GMT");
        h.add("Date", "Wed, 01 Jan 2025 00:00:00 GMT");
        if (x.getRequestMethod().equals("PUT")) {
            h.add("x-ms-request-server-encrypted", "true");
            x.sendResponseHeaders(201, -1);
        } else if (q.contains("restype=container")) {
            h.add("x-ms-immutable-storage-with-versioning-enabled", "true");
            x.sendResponseHeaders(200, -1);
        } else {
            h.add("x-ms-blob-type", "BlockBlob");
            h.add("x-ms-immutability-policy-until-date", RFC1123);
            h.add("x-ms-immutability-policy-mode", "locked");
            h.add("Content-Length", "2");
            x.sendResponseHeaders(200, -1);
        }
        x.close();
    }

    @Test
    void lockedWritesCarryThePolicyAndTheCapabilityAndRetentionAreRead() throws Exception {
        storage.put("backups/b1/velero-backup.json", "{}".getBytes(), new Retention(ObjectLock.GOVERNANCE, UNTIL));
        Request put = requests.get(requests.size() - 1);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.pathAndQuery()).startsWith("/" + Azurite.ACCOUNT + "/worm/backups/b1/velero-backup.json");
        assertThat(put.header("x-ms-immutability-policy-until-date")).isEqualTo(RFC1123);
        assertThat(put.header("x-ms-immutability-policy-mode")).isEqualToIgnoringCase("Unlocked");

        requests.clear();
        byte[] big = new byte[AzureConfig.MIN_BLOCK_SIZE * 2 + 3];
        try (BlobWriter w = storage.openWriter("backups/b1/b1.tar.gz", new Retention(ObjectLock.COMPLIANCE, UNTIL))) {
            w.write(big);
            w.commit();
        }
        assertThat(requests).filteredOn(r -> r.pathAndQuery().contains("comp=block&") || r.pathAndQuery().endsWith("comp=block"))
                .hasSize(3).allSatisfy(r -> assertThat(r.header("x-ms-immutability-policy-mode")).isNull());
        Request commit = requests.stream().filter(r -> r.pathAndQuery().contains("comp=blocklist")).findFirst().orElseThrow();
        assertThat(commit.header("x-ms-immutability-policy-until-date")).isEqualTo(RFC1123);
        assertThat(commit.header("x-ms-immutability-policy-mode")).isEqualToIgnoringCase("Locked");

        requests.clear();
        storage.put("backups/b1/plain.json", "{}".getBytes());
        assertThat(requests.get(0).header("x-ms-immutability-policy-mode")).isNull();

        assertThat(storage.objectLockEnabled()).isTrue();
        assertThat(storage.retention("backups/b1/b1.tar.gz")).contains(new Retention(ObjectLock.COMPLIANCE, UNTIL));
    }
}

package io.kbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.servers.TestServers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI end to end: an embedded cluster (through the kubeconfig it writes) and a local-folder
 * location. Backs up a namespace, lists, describes and reads the log of the backup, restores it
 * into another namespace, reads the restore back, verifies a sound and a tampered backup, deletes
 * the backup; checks the exit codes of errors and that secrets never reach the output, also
 * through the shaded {@code kbackup.jar}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KBackupCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET_KEY = "wJalrXUtnFEMI-K7MDENG-bPxRfiCY-SECRET";
    private static final String URL_PASSWORD = "pa55-in-the-url-9f3c";
    private static final String SESSION_TOKEN = "FwoGZXIvYXdzEJr-session-token-77";

    @TempDir
    static Path tmp;
    static EmbeddedCluster cluster;
    static KubernetesClient k8s;
    static Path kubeconfig;
    static Path backups;

    record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    @BeforeAll
    static void start() {
        cluster = EmbeddedCluster.start();
        k8s = cluster.client();
        kubeconfig = cluster.writeKubeconfig(tmp.resolve("kubeconfig"));
        backups = tmp.resolve("backups");
        cluster.seed(Stream.of(
                new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build(),
                new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace("shop").endMetadata()
                        .addToData("colour", "blue").build(),
                new SecretBuilder().withNewMetadata().withName("db").withNamespace("shop").endMetadata()
                        .addToStringData("password", "in-cluster-only").build()));
    }

    @AfterAll
    static void stop() {
        TestServers.closeAll(k8s, cluster);
    }

    static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KBackupCli.run(args, new PrintWriter(out), new PrintWriter(err), env);
        return new Run(code, out.toString(), err.toString());
    }

    /** A command against the embedded cluster and the local folder. */
    static Run kb(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--kubeconfig", kubeconfig.toString(), "--folder", backups.toString()));
        return run(Map.of(), all.toArray(String[]::new));
    }

    @Test
    @Order(1)
    void backupCreateGetDescribeLogs() throws IOException {
        Run created = kb("backup", "create", "shop-1", "--include-namespaces", "shop");
        assertThat(created.code()).as(created.all()).isEqualTo(0);
        assertThat(created.out()).contains("shop-1").contains("Completed");

        Run table = kb("backup", "get");
        assertThat(table.code()).as(table.all()).isEqualTo(0);
        assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("NAME").contains("PHASE").contains("EXPIRES");
        assertThat(table.out()).containsPattern("shop-1\\s+Completed");

        Run json = kb("backup", "get", "-o", "json");
        JsonNode list = JSON.readTree(json.out());
        assertThat(list.isArray()).isTrue();
        assertThat(list.get(0).get("name").asText()).isEqualTo("shop-1");
        assertThat(list.get(0).get("items").asLong()).isGreaterThanOrEqualTo(3);

        Run described = kb("backup", "describe", "shop-1", "--output", "json");
        JsonNode d = JSON.readTree(described.out());
        assertThat(d.get("phase").asText()).isEqualTo("Completed");
        assertThat(d.get("includedNamespaces").get(0).asText()).isEqualTo("shop");
        assertThat(d.get("completed").asText()).matches("\\d{4}-.*Z");

        Run logs = kb("backup", "logs", "shop-1");
        assertThat(logs.code()).as(logs.all()).isEqualTo(0);
        assertThat(logs.out().lines().count()).isGreaterThan(1);
        assertThat(logs.out()).contains("shop-1");
    }

    @Test
    @Order(2)
    void restoreIntoAnotherNamespaceAndReadItBack() throws IOException {
        Run restored = kb("restore", "create", "shop-1-copy", "--from-backup", "shop-1", "--namespace-mappings", "shop:shop-copy");
        assertThat(restored.code()).as(restored.all()).isEqualTo(0);
        assertThat(restored.out()).contains("Completed").contains("shop: shop-copy");
        assertThat(k8s.configMaps().inNamespace("shop-copy").withName("settings").get().getData()).containsEntry("colour", "blue");
        assertThat(k8s.secrets().inNamespace("shop-copy").withName("db").get()).isNotNull();

        Run list = kb("restore", "get");
        assertThat(list.code()).as(list.all()).isEqualTo(0);
        assertThat(list.out()).containsPattern("shop-1-copy\\s+shop-1\\s+Completed");

        JsonNode d = JSON.readTree(kb("restore", "describe", "shop-1-copy", "-o", "json").out());
        assertThat(d.get("backup").asText()).isEqualTo("shop-1");
        assertThat(d.get("phase").asText()).isEqualTo("Completed");
        assertThat(d.get("itemsTotal").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(d.get("created").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(d.get("errors")).isEmpty();

        Run logs = kb("restore", "logs", "shop-1-copy");
        assertThat(logs.code()).as(logs.all()).isEqualTo(0);
        assertThat(logs.out()).contains("shop-1-copy").contains("shop-1");
        // the restored Secret's data is in the cluster, never in what the CLI prints
        assertThat(restored.all() + logs.all()).doesNotContain("in-cluster-only").doesNotContain("aW4tY2x1c3Rlci1vbmx5");
    }

    @Test
    @Order(3)
    void missingBackupOrRestoreExitsNotFound() {
        Run backup = kb("backup", "describe", "no-such-backup");
        assertThat(backup.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(backup.err()).startsWith("Error: ").contains("no-such-backup");
        assertThat(backup.err()).doesNotContain("\tat ");

        assertThat(kb("backup", "logs", "no-such-backup").code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(kb("restore", "describe", "no-such-restore").code()).isEqualTo(ExitCodes.NOT_FOUND);
        Run restore = kb("restore", "create", "--from-backup", "no-such-backup");
        assertThat(restore.code()).as(restore.all()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    @Order(4)
    void badInputExitsWithItsCode() {
        assertThat(kb("backup", "get", "--no-such-option=value").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(kb("backup", "get", "--no-such-option=value").err()).doesNotContain("value");
        Run mapping = kb("restore", "create", "--from-backup", "shop-1", "--namespace-mappings", "nothere:x");
        assertThat(mapping.code()).as(mapping.all()).isEqualTo(ExitCodes.INVALID);
        Run badStorageClass = kb("restore", "create", "--from-backup", "shop-1", "--storage-class-mappings", "standard");
        assertThat(badStorageClass.code()).as(badStorageClass.all()).isEqualTo(ExitCodes.USAGE);
        assertThat(badStorageClass.err()).contains("--storage-class-mappings 'standard' is not OLD:NEW");
        Run actions = kb("restore", "create", "--from-backup", "shop-1", "--dry-run", "--storage-class-mappings", "standard:fast",
                "--image-name-mappings", "registry-a:5000=registry-b:5000", "--node-mappings", "node-a:node-b",
                "--status-include-resources", "configmaps", "--namespace-mappings", "shop:shop-dry");
        assertThat(actions.code()).as(actions.all()).isEqualTo(0);
        assertThat(kb("backup", "create", "Bad_Name").code()).isEqualTo(ExitCodes.INVALID);
        Run noLocation = run(Map.of(), "backup", "get");
        assertThat(noLocation.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noLocation.err()).contains("--folder");
        Run badCluster = run(Map.of(), "backup", "create", "x", "--folder", backups.toString(),
                "--kubeconfig", tmp.resolve("missing-kubeconfig").toString());
        assertThat(badCluster.code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    @Order(5)
    void badLocationExitsByProblemAndNeverPrintsSecrets() throws IOException {
        Path creds = tmp.resolve("credentials");
        Files.writeString(creds, "[default]\naws_access_key_id=AKIAEXAMPLEID\naws_secret_access_key=" + SECRET_KEY
                + "\naws_session_token=" + SESSION_TOKEN + "\n");
        String endpoint = "http://admin:" + URL_PASSWORD + "@127.0.0.1:1";
        for (String verbose : new String[] {"--output=table", "--verbose"}) {
            Run unreachable = run(Map.of(), "location", "validate", "--provider", "minio", "--bucket", "b",
                    "--endpoint", endpoint, "--credentials-file", creds.toString(), verbose);
            assertThat(unreachable.code()).as(unreachable.all()).isEqualTo(ExitCodes.STORAGE_UNREACHABLE);
            assertThat(unreachable.err()).contains("UNREACHABLE");
            assertNoSecrets(unreachable);

            Run listing = run(Map.of(), "backup", "get", "--provider", "minio", "--bucket", "b",
                    "--endpoint", endpoint, "--credentials-file", creds.toString(), verbose);
            assertThat(listing.code()).as(listing.all()).isEqualTo(ExitCodes.STORAGE_UNREACHABLE);
            assertNoSecrets(listing);
        }
        // the same credentials from the environment
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEID");
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        env.put("KBACKUP_PROVIDER", "minio");
        env.put("KBACKUP_BUCKET", "b");
        env.put("KBACKUP_ENDPOINT", endpoint);
        Run fromEnv = run(env, "location", "validate", "-v", "-o", "json");
        assertThat(fromEnv.code()).as(fromEnv.all()).isEqualTo(ExitCodes.STORAGE_UNREACHABLE);
        assertThat(JSON.readTree(fromEnv.out()).get("valid").asBoolean()).isFalse();
        assertNoSecrets(fromEnv);

        Run badConfig = run(Map.of(), "location", "validate", "--provider", "minio", "--bucket", "b",
                "--endpoint", "http://127.0.0.1:1", "--config", "noSuchKey=1", "--credentials-file", creds.toString());
        assertThat(badConfig.code()).as(badConfig.all()).isEqualTo(ExitCodes.INVALID);
        assertNoSecrets(badConfig);

        Run local = kb("location", "validate");
        assertThat(local.code()).as(local.all()).isEqualTo(0);
        assertThat(local.out()).contains("is valid");
    }

    private static void assertNoSecrets(Run run) {
        assertThat(run.all()).doesNotContain(SECRET_KEY).doesNotContain(URL_PASSWORD).doesNotContain(SESSION_TOKEN);
    }

    @Test
    @Order(6)
    void deleteNeedsConfirmation() {
        assertThat(kb("backup", "delete", "shop-1").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(kb("backup", "get", "shop-1").code()).isEqualTo(0);
        Run deleted = kb("backup", "delete", "shop-1", "--confirm");
        assertThat(deleted.code()).as(deleted.all()).isEqualTo(0);
        assertThat(kb("backup", "get").out()).doesNotContain("shop-1");
        assertThat(kb("backup", "describe", "shop-1").code()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    @Order(7)
    void helpListsExitCodesAndCompletionIsABashScript() {
        Run help = run(Map.of(), "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Exit codes:").containsPattern("\n  3 +No such backup").contains("location").contains("restore")
                .contains("generate-completion");
        Run completion = run(Map.of(), "generate-completion");
        assertThat(completion.code()).isZero();
        assertThat(completion.out()).contains("complete -F").contains("backup").contains("--namespace-mappings");
    }

    /** A sound backup verifies (exit 0); one byte flipped in its tarball breaks the manifest's digest, which the report names (exit 9). */
    @Test
    @Order(9)
    void verifyFindsATamperedTarball() throws IOException {
        Run created = kb("backup", "create", "shop-verify", "--include-namespaces", "shop");
        assertThat(created.code()).as(created.all()).isEqualTo(0);

        Run sound = kb("backup", "verify", "shop-verify");
        assertThat(sound.code()).as(sound.all()).isEqualTo(0);
        assertThat(sound.out()).containsPattern("ok:\\s+true").containsPattern("problems:\\s+-");
        JsonNode good = JSON.readTree(kb("backup", "verify", "shop-verify", "-o", "json").out());
        assertThat(good.get("ok").asBoolean()).isTrue();
        assertThat(good.get("items").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(good.get("problems")).isEmpty();

        Path tarball;
        try (Stream<Path> files = Files.walk(backups)) {
            tarball = files.filter(f -> f.getFileName().toString().equals("shop-verify.tar.gz")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(tarball);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(tarball, bytes);

        Run tampered = kb("backup", "verify", "shop-verify");
        assertThat(tampered.code()).as(tampered.all()).isEqualTo(ExitCodes.CORRUPT);
        assertThat(tampered.out()).containsPattern("ok:\\s+false").contains("does not match its integrity manifest");
        JsonNode bad = JSON.readTree(kb("backup", "verify", "shop-verify", "-o", "json").out());
        assertThat(bad.get("ok").asBoolean()).isFalse();
        assertThat(bad.get("problems").get(0).asText()).contains("does not match its integrity manifest");

        assertThat(kb("backup", "verify", "no-such-backup").code()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    /** The shaded jar as an operator runs it: its providers are found (services merged) and it masks secrets. */
    @Test
    @Order(8)
    void theExecutableJarRuns() throws Exception {
        Path jar = Path.of("target", "kbackup.jar");
        assertThat(jar).as("mvn package builds target/kbackup.jar before the *IT tests run").exists();
        Path creds = tmp.resolve("jar-credentials");
        Files.writeString(creds, "aws_access_key_id=AKIAEXAMPLEID\naws_secret_access_key=" + SECRET_KEY + "\n");
        Run help = java(jar, "--help");
        assertThat(help.code()).as(help.all()).isZero();
        assertThat(help.out()).contains("Exit codes:");
        Run list = java(jar, "backup", "get", "--folder", backups.toString(), "-o", "json");
        assertThat(list.code()).as(list.all()).isZero();
        assertThat(JSON.readTree(list.out()).isArray()).isTrue();
        for (String provider : new String[] {"minio", "s3"}) {
            Run validate = java(jar, "location", "validate", "--provider", provider, "--bucket", "b", "--region", "us-east-1",
                    "--endpoint", "http://admin:" + URL_PASSWORD + "@127.0.0.1:1", "--config", "s3ForcePathStyle=true",
                    "--credentials-file", creds.toString(), "--verbose");
            assertThat(validate.code()).as(validate.all()).isEqualTo(ExitCodes.STORAGE_UNREACHABLE);
            assertNoSecrets(validate);
        }
    }

    private static Run java(Path jar, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}

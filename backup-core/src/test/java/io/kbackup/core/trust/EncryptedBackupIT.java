package io.kbackup.core.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.CorruptBackupException;
import io.kbackup.Encryption;
import io.kbackup.KBackupException;
import io.kbackup.KeyUnavailableException;
import io.kbackup.ManifestKey;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.VerifyReport;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.core.internal.layout.BackupDocument;
import io.kbackup.core.keys.StaticKeyProvider;
import io.kbackup.spi.KeyProviders;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.cluster.EmbeddedClusterExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client-side encryption, signed manifests, verify and drills, end to end through the local-folder
 * provider on embedded clusters: a round trip, every tampering case refused with nothing applied,
 * a missing or wrong key refused before anything is applied, key rotation, signatures and drills.
 */
@ExtendWith(EmbeddedClusterExtension.class)
class EncryptedBackupIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] K1 = random(32);
    private static final byte[] K2 = random(32);
    private static EmbeddedCluster target;

    @TempDir
    Path folder;

    @BeforeAll
    static void seed(EmbeddedCluster cluster) {
        List<HasMetadata> items = new ArrayList<>();
        items.add(new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace("shop").addToLabels("app", "shop")
                .endMetadata().addToData("color", "blue").build());
        items.add(new SecretBuilder().withNewMetadata().withName("db").withNamespace("shop").endMetadata()
                .addToData("password", Base64.getEncoder().encodeToString("hunter2".getBytes(StandardCharsets.UTF_8))).build());
        // incompressible data: the encrypted tarball spans several 1 MiB segments
        for (int i = 0; i < 5; i++) {
            items.add(new ConfigMapBuilder().withNewMetadata().withName("blob-" + i).withNamespace("big").endMetadata()
                    .addToBinaryData("data", Base64.getEncoder().encodeToString(random(700_000))).build());
        }
        cluster.seed(items.stream());
        target = EmbeddedCluster.start();
    }

    @AfterAll
    static void stopTarget() {
        if (target != null) {
            target.close();
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private BackupLocation location(String keyId) {
        return BackupLocation.localFolder(folder).encryption(Encryption.with("static", keyId)).build();
    }

    private static DirectOptions.Builder keys(Map<String, byte[]> keys) {
        StaticKeyProvider.Builder b = StaticKeyProvider.builder();
        keys.forEach(b::key);
        return DirectOptions.builder().keyProviders(KeyProviders.discover().with(b.build()));
    }

    private static BackupInfo backUp(DirectEngine engine, BackupLocation location, String name, String... namespaces) {
        BackupInfo info = engine.backup(BackupPlan.builder().name(name).location(location).includedNamespaces(namespaces).build()).await(WAIT);
        assertThat(info.phase()).as(info.toString()).isEqualTo(BackupPhase.COMPLETED);
        return info;
    }

    private Path file(String backup, String name) {
        return folder.resolve("backups/" + backup + "/" + name);
    }

    private static RestorePlan restorePlan(BackupLocation location, String backup, String targetNamespace, String from) {
        return RestorePlan.builder().location(location).backupName(backup).namespaceMapping(Map.of(from, targetNamespace)).build();
    }

    private static void assertNothingApplied(String namespace) {
        assertThat(target.client().configMaps().inNamespace(namespace).list().getItems()).isEmpty();
        assertThat(target.client().namespaces().withName(namespace).get()).isNull();
    }

    @Test
    void anEncryptedBackupRoundTripsAndVeleroSeesItsPlainDocument(KubernetesClient client) throws Exception {
        BackupLocation location = location("k1");
        DirectOptions options = keys(Map.of("k1", K1)).build();
        try (DirectEngine engine = KBackup.direct(client, options)) {
            backUp(engine, location, "enc", "shop");

            byte[] tarball = Files.readAllBytes(file("enc", "enc.tar.gz"));
            assertThat(tarball[0] == (byte) 0x1f && tarball[1] == (byte) 0x8b).as("not gzip: encrypted").isFalse();
            assertThat(new String(tarball, StandardCharsets.ISO_8859_1)).doesNotContain("hunter2", "settings");
            byte[] logs = Files.readAllBytes(file("enc", "enc-logs.gz"));
            assertThat(logs[0] == (byte) 0x1f && logs[1] == (byte) 0x8b).as("side files are encrypted too").isFalse();
            ObjectNode doc = (ObjectNode) JSON.readTree(file("enc", "velero-backup.json").toFile());
            assertThat(doc.path("metadata").path("labels").path(Encryption.LABEL).asText()).isEqualTo(Encryption.ALGORITHM);
            // its expiry is kbackup's alone: Velero's GC would try (and fail) to delete it
            assertThat(doc.path("status").has("expiration")).isFalse();
            assertThat(doc.path("metadata").path("annotations").has(BackupDocument.EXPIRATION_ANNOTATION)).isTrue();
            ObjectNode manifest = (ObjectNode) JSON.readTree(file("enc", "kbackup-manifest.json").toFile());
            assertThat(manifest.path("manifestVersion").asInt()).isEqualTo(2);
            assertThat(manifest.path("encryption").path("keyId").asText()).isEqualTo("k1");
            assertThat(manifest.path("encryption").path("keyProvider").asText()).isEqualTo("static");
            assertThat(manifest.toString()).doesNotContain(Base64.getEncoder().encodeToString(K1));
            assertThat(manifest.path("files").size()).isEqualTo(7);

            BackupInfo listed = engine.listBackups(location).get(0);
            assertThat(listed.encrypted()).isTrue();
            assertThat(listed.expires()).as("read from its annotation").isEqualTo(listed.started().plus(Duration.ofHours(720)));
            assertThat(listed.encryption()).contains(Encryption.ALGORITHM);
            assertThat(listed.toString()).contains("only kbackup restores it");
            List<String> log = new ArrayList<>();
            engine.backupLog(location, "enc", log::add);
            assertThat(String.join("\n", log)).contains("Encrypting the backup");
            List<String> resources = new ArrayList<>();
            engine.backupResources(location, "enc", r -> resources.add(r.kind() + " " + r.name()));
            assertThat(resources).contains("ConfigMap settings", "Secret db");

            VerifyReport report = engine.verify(location, "enc");
            assertThat(report.ok()).as(report.toString()).isTrue();
            assertThat(report.encryption()).contains(Encryption.ALGORITHM).contains("k1");
            assertThat(report.items()).isEqualTo(listed.itemsBackedUp());
        }
        try (DirectEngine restorer = KBackup.direct(target.client(), options)) {
            RestoreInfo restored = restorer.restore(restorePlan(location, "enc", "shop-rt", "shop")).await(WAIT);
            assertThat(restored.phase()).as(restored.toString()).isEqualTo(RestorePhase.COMPLETED);
            assertThat(target.client().configMaps().inNamespace("shop-rt").withName("settings").get().getData()).containsEntry("color", "blue");
            assertThat(target.client().secrets().inNamespace("shop-rt").withName("db").get().getData().get("password"))
                    .isEqualTo(Base64.getEncoder().encodeToString("hunter2".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void withoutTheKeyARestoreIsRefusedWithATypedErrorBeforeAnythingIsApplied(KubernetesClient client) {
        BackupLocation location = location("k1");
        try (DirectEngine engine = KBackup.direct(client, keys(Map.of("k1", K1)).build())) {
            backUp(engine, location, "nokey", "shop");
        }
        // no provider holds k1
        try (DirectEngine restorer = KBackup.direct(target.client(), keys(Map.of("other", K2)).build())) {
            assertThatThrownBy(() -> restorer.restore(restorePlan(location, "nokey", "shop-nokey", "shop")))
                    .isInstanceOf(KeyUnavailableException.class).hasMessageContaining("k1").hasMessageContaining("Nothing was restored")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(Base64.getEncoder().encodeToString(K2)));
            VerifyReport report = restorer.verify(location, "nokey");
            assertThat(report.ok()).isFalse();
            assertThatThrownBy(() -> restorer.backupLog(location, "nokey", l -> { })).isInstanceOf(KeyUnavailableException.class);
        }
        // a key of that id, but not the one: the wrapped key does not unwrap
        try (DirectEngine restorer = KBackup.direct(target.client(), keys(Map.of("k1", K2)).build())) {
            assertThatThrownBy(() -> restorer.restore(restorePlan(location, "nokey", "shop-nokey", "shop")))
                    .isInstanceOf(KeyUnavailableException.class).hasMessageContaining("does not unwrap");
        }
        assertNothingApplied("shop-nokey");
    }

    @Test
    void keyRotationLeavesOldBackupsRestorableWithTheirRecordedKey(KubernetesClient client) {
        try (DirectEngine engine = KBackup.direct(client, keys(Map.of("k1", K1, "k2", K2)).build())) {
            backUp(engine, location("k1"), "old-key", "shop");
            backUp(engine, location("k2"), "new-key", "shop");
        }
        BackupLocation rotated = location("k2");
        try (DirectEngine restorer = KBackup.direct(target.client(), keys(Map.of("k1", K1, "k2", K2)).build())) {
            assertThat(restorer.restore(restorePlan(rotated, "old-key", "shop-old", "shop")).await(WAIT).phase()).isEqualTo(RestorePhase.COMPLETED);
            assertThat(restorer.restore(restorePlan(rotated, "new-key", "shop-new", "shop")).await(WAIT).phase()).isEqualTo(RestorePhase.COMPLETED);
        }
        try (DirectEngine onlyNew = KBackup.direct(target.client(), keys(Map.of("k2", K2)).build())) {
            assertThatThrownBy(() -> onlyNew.restore(restorePlan(rotated, "old-key", "shop-old2", "shop")))
                    .isInstanceOf(KeyUnavailableException.class).satisfies(e -> assertThat(((KeyUnavailableException) e).keyId()).isEqualTo("k1"));
        }
        assertNothingApplied("shop-old2");
    }

    // ------------------------------------------------------------------ tampering

    /** Backs up, tampers, then expects the restore refused (at start or on await) with nothing applied. */
    private void assertTamperingRefused(KubernetesClient client, String backup, DirectOptions options, Tamper tamper, String... message)
            throws Exception {
        BackupLocation location = location("k1");
        try (DirectEngine engine = KBackup.direct(client, options)) {
            backUp(engine, location, backup, "big");
        }
        tamper.apply(backup);
        String ns = "tampered-" + backup;
        try (DirectEngine restorer = KBackup.direct(target.client(), options)) {
            assertThatThrownBy(() -> restorer.restore(restorePlan(location, backup, ns, "big")).await(WAIT))
                    .isInstanceOf(KBackupException.class).hasMessageContainingAll(message);
            assertThat(restorer.verify(location, backup).ok()).isFalse();
        }
        assertNothingApplied(ns);
    }

    @FunctionalInterface
    private interface Tamper {
        void apply(String backup) throws Exception;
    }

    /** Rewrites the manifest's tarball checksum and size for the stored tarball (an unsigned manifest an attacker recomputes). */
    private void recomputeManifest(String backup) throws Exception {
        byte[] tarball = Files.readAllBytes(file(backup, backup + ".tar.gz"));
        ObjectNode manifest = (ObjectNode) JSON.readTree(file(backup, "kbackup-manifest.json").toFile());
        ((ObjectNode) manifest.path("tarball")).put("size", tarball.length)
                .put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tarball)));
        Files.write(file(backup, "kbackup-manifest.json"), (JSON.writeValueAsString(manifest) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private void rewriteTarball(String backup, java.util.function.UnaryOperator<byte[]> change) throws IOException {
        Path p = file(backup, backup + ".tar.gz");
        Files.write(p, change.apply(Files.readAllBytes(p)));
    }

    /**
     * Backs up with key k1, changes the stored tarball as {@code change} says and recomputes the
     * manifest for it (what an attacker can do to an unsigned manifest): the restore must fail to decrypt.
     */
    private void assertRecomputedTarballDoesNotDecrypt(KubernetesClient client, String backup,
            java.util.function.UnaryOperator<byte[]> change) throws Exception {
        assertTamperingRefused(client, backup, keys(Map.of("k1", K1)).build(), b -> {
            rewriteTarball(b, change);
            recomputeManifest(b);
        }, "does not decrypt");
    }

    @Test
    void aFlippedByteIsRefused(KubernetesClient client) throws Exception {
        assertTamperingRefused(client, "flipped", keys(Map.of("k1", K1)).build(), b -> rewriteTarball(b, t -> {
            t[t.length / 2] ^= 1;
            return t;
        }), "does not match its integrity manifest");
    }

    @Test
    void aFlippedByteUnderARecomputedManifestFailsAuthentication(KubernetesClient client) throws Exception {
        assertRecomputedTarballDoesNotDecrypt(client, "flipped2", t -> {
            t[t.length / 2] ^= 1;
            return t;
        });
    }

    @Test
    void aTruncatedTarballIsRefused(KubernetesClient client) throws Exception {
        assertRecomputedTarballDoesNotDecrypt(client, "truncated", t -> Arrays.copyOf(t, t.length - 1_048_576 / 2));
    }

    @Test
    void reorderedSegmentsAreRefused(KubernetesClient client) throws Exception {
        assertRecomputedTarballDoesNotDecrypt(client, "reordered", t -> {
            int seg = 1 << 20;
            // Tink's first segment is shorter by the header; segments 1 and 2 are full, swap them
            int first = seg - (t[0] & 0xff);
            assertThat(t.length).as("needs at least three full segments").isGreaterThan(first + 2 * seg);
            byte[] out = t.clone();
            System.arraycopy(t, first + seg, out, first, seg);
            System.arraycopy(t, first, out, first + seg, seg);
            return out;
        });
    }

    @Test
    void aSwappedPlainTarballWithARecomputedUnsignedManifestIsRefused(KubernetesClient client) throws Exception {
        assertTamperingRefused(client, "swapped", keys(Map.of("k1", K1)).build(), b -> {
            // the attacker's own plain archive, and a manifest rewritten to match it without encryption
            Path plain = Files.createTempDirectory(folder, "plain");
            try (DirectEngine engine = KBackup.direct(client)) {
                backUp(engine, BackupLocation.localFolder(plain).build(), b, "shop");
            }
            Files.copy(plain.resolve("backups/" + b + "/" + b + ".tar.gz"), file(b, b + ".tar.gz"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(plain.resolve("backups/" + b + "/kbackup-manifest.json"), file(b, "kbackup-manifest.json"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }, "says it is encrypted", "manifest records no encryption");
    }

    // ------------------------------------------------------------------ signatures

    @Test
    void signedManifestsVerifyAndATamperedSignedBackupIsRefused(KubernetesClient client) throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        ManifestKey ed = ManifestKey.ed25519("ops-1", pair.getPrivate(), pair.getPublic());
        DirectOptions signing = keys(Map.of("k1", K1)).signingKey(ed).build();
        BackupLocation plain = BackupLocation.localFolder(folder).build();
        try (DirectEngine engine = KBackup.direct(client, signing)) {
            backUp(engine, plain, "signed", "shop");
            VerifyReport report = engine.verify(plain, "signed");
            assertThat(report.signature()).isEqualTo(VerifyReport.SignatureStatus.VALID);
            assertThat(report.signingKeyId()).isEqualTo("ops-1");
            assertThat(report.ok()).as(report.toString()).isTrue();
        }
        assertThat(Files.readString(file("signed", "kbackup-manifest.sig"))).contains("\"algorithm\":\"Ed25519\"", "\"keyId\":\"ops-1\"");
        // a host that only verifies: the public key
        DirectOptions verifying = DirectOptions.builder().verificationKeys(ManifestKey.ed25519Public("ops-1", pair.getPublic())).build();
        try (DirectEngine engine = KBackup.direct(target.client(), verifying)) {
            assertThat(engine.verify(plain, "signed").signature()).isEqualTo(VerifyReport.SignatureStatus.VALID);
        }
        // the attacker changes the archive and recomputes the manifest: the signature no longer holds
        rewriteTarball("signed", t -> {
            t[t.length / 2] ^= 1;
            return t;
        });
        recomputeManifest("signed");
        try (DirectEngine engine = KBackup.direct(target.client(), verifying)) {
            assertThatThrownBy(() -> engine.restore(restorePlan(plain, "signed", "shop-signed", "shop")))
                    .isInstanceOf(CorruptBackupException.class).hasMessageContaining("signature").hasMessageContaining("does not verify");
            assertThat(engine.verify(plain, "signed").signature()).isEqualTo(VerifyReport.SignatureStatus.INVALID);
        }
        // ... and removing the signature too: refused when signatures are required, a warning otherwise
        Files.delete(file("signed", "kbackup-manifest.sig"));
        try (DirectEngine engine = KBackup.direct(target.client(), verifying.toBuilder().requireSignature(true).build())) {
            assertThatThrownBy(() -> engine.restore(restorePlan(plain, "signed", "shop-signed", "shop")))
                    .isInstanceOf(CorruptBackupException.class).hasMessageContaining("not signed");
        }
        try (DirectEngine engine = KBackup.direct(target.client(), verifying)) {
            VerifyReport report = engine.verify(plain, "signed");
            assertThat(report.signature()).isEqualTo(VerifyReport.SignatureStatus.UNSIGNED);
            assertThat(report.warnings()).anySatisfy(w -> assertThat(w).contains("unsigned manifest"));
            assertThat(report.ok()).as("the flipped byte under the recomputed checksum is still caught by the format check").isFalse();
        }
        assertNothingApplied("shop-signed");
    }

    @Test
    void anHmacSignedBackupRestoresWithItsKeyAndAnUnknownSignerIsRefused(KubernetesClient client) throws Exception {
        ManifestKey hmac = ManifestKey.hmacSha256("shared-1", random(32));
        BackupLocation plain = BackupLocation.localFolder(folder).build();
        try (DirectEngine engine = KBackup.direct(client, DirectOptions.builder().signingKey(hmac).build())) {
            backUp(engine, plain, "hmac", "shop");
        }
        try (DirectEngine engine = KBackup.direct(target.client(), DirectOptions.builder().verificationKeys(hmac).build())) {
            RestoreInfo info = engine.restore(restorePlan(plain, "hmac", "shop-hmac", "shop")).await(WAIT);
            assertThat(info.phase()).isEqualTo(RestorePhase.COMPLETED);
        }
        ManifestKey other = ManifestKey.hmacSha256("shared-2", random(32));
        try (DirectEngine engine = KBackup.direct(target.client(), DirectOptions.builder().verificationKeys(other).build())) {
            assertThatThrownBy(() -> engine.restore(restorePlan(plain, "hmac", "shop-hmac2", "shop")))
                    .isInstanceOf(CorruptBackupException.class).hasMessageContaining("'shared-1'");
        }
        assertNothingApplied("shop-hmac2");
        assertThat(hmac.toString()).isEqualTo("ManifestKey[keyId=shared-1, algorithm=HMAC_SHA256]");
    }

    // ------------------------------------------------------------------ drills

    @Test
    void aDrillRestoresIntoAThrowawayClusterAndComparesItemByItem(KubernetesClient client) {
        BackupLocation location = location("k1");
        DirectOptions options = keys(Map.of("k1", K1)).build();
        try (DirectEngine engine = KBackup.direct(client, options); EmbeddedCluster scratch = EmbeddedCluster.start()) {
            backUp(engine, location, "drilled", "shop");
            VerifyReport drill = engine.drill(location, "drilled", scratch.client(), WAIT);
            assertThat(drill.ok()).as(drill.toString()).isTrue();
            assertThat(drill.drilled()).isTrue();
            assertThat(drill.itemsCompared()).isEqualTo(drill.items()).isGreaterThanOrEqualTo(2); // configmap, secret
            assertThat(scratch.client().configMaps().inNamespace("shop").withName("settings").get()).isNotNull();
        }
    }

    @Test
    void aDrillCatchesABackupWhoseItemsNoLongerParse(KubernetesClient client) throws Exception {
        BackupLocation plain = BackupLocation.localFolder(folder).build();
        try (DirectEngine engine = KBackup.direct(client); EmbeddedCluster scratch = EmbeddedCluster.start()) {
            backUp(engine, plain, "rotten", "shop");
            // the ConfigMap's JSON broken inside the archive, the manifest recomputed
            rewriteTarball("rotten", t -> {
                try {
                    byte[] tar = new GZIPInputStream(new ByteArrayInputStream(t)).readAllBytes();
                    byte[] needle = "\"color\":\"blue\"".getBytes(StandardCharsets.UTF_8);
                    int at = indexOf(tar, needle);
                    assertThat(at).as("the ConfigMap's JSON in the tar").isGreaterThan(0);
                    tar[at] = '#';
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                        gz.write(tar);
                    }
                    return out.toByteArray();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            recomputeManifest("rotten");
            VerifyReport drill = engine.drill(plain, "rotten", scratch.client(), WAIT);
            assertThat(drill.ok()).isFalse();
            assertThat(drill.problems()).anySatisfy(p -> assertThat(p).contains("not valid JSON"));
            assertThat(scratch.client().namespaces().withName("shop").get()).as("nothing restored").isNull();
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void keysNeverAppearInToString() {
        StaticKeyProvider p = StaticKeyProvider.builder().key("k1", K1).build();
        assertThat(p.toString()).contains("k1").doesNotContain(Base64.getEncoder().encodeToString(K1));
        DirectOptions o = keys(Map.of("k1", K1)).signingKey(ManifestKey.hmacSha256("s", K2)).build();
        assertThat(o.toString()).doesNotContain(Base64.getEncoder().encodeToString(K1)).doesNotContain(Base64.getEncoder().encodeToString(K2));
        assertThat(location("k1").toString()).contains("keyId=k1");
    }

}

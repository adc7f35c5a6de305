package io.kbackup.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kbackup.BackupClient;
import io.kbackup.BackupInfo;
import io.kbackup.BackupLocation;
import io.kbackup.BackupPhase;
import io.kbackup.BackupPlan;
import io.kbackup.Credentials;
import io.kbackup.Encryption;
import io.kbackup.KeyUnavailableException;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.VerifyReport;
import io.kbackup.core.KBackup;
import io.kbackup.core.direct.DirectEngine;
import io.kbackup.core.direct.DirectOptions;
import io.kbackup.spi.KeyProviders;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.engine.KeyProviderContract;
import io.kbackup.testkit.servers.MotoServer;
import io.kbackup.testkit.servers.ServerExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The {@code aws-kms} key provider against moto's KMS (a real server, {@code moto_server}): the
 * shared {@link KeyProviderContract} (round trips bound to the backup and the key, a missing key
 * refused, backups that restore after a rotation, a restore whose key is gone refused before
 * anything is applied), plus encrypted backups through the s3 provider on moto's S3 that restore
 * after the location moves to a new KMS key, and credentials kept out of messages.
 *
 * <p>What moto 5.2.5 cannot show, and how the hooks deal with it:
 * <ul>
 *   <li>AWS KMS cannot disable one version of a key ({@link #disablesSingleVersions()} is
 *       {@code false}): that contract test is skipped for this provider.</li>
 *   <li>{@code RotateKeyOnDemand} is recorded by moto ({@code ListKeyRotations}) but the key
 *       material stays the same, so the rotation test shows that the provider names the key, never
 *       a version, not that AWS's old backing key still decrypts.</li>
 *   <li>Moto decrypts with a disabled key and with a key pending deletion, and has no call that
 *       removes a key; so {@link #deleteKey} schedules the deletion (as one would on AWS, where
 *       {@code Decrypt} is then refused at once), then removes the key the one way moto can: each
 *       key is made by its own CloudFormation stack, and the stack is deleted (the state AWS
 *       reaches when the waiting period ends).</li>
 * </ul>
 */
class AwsKmsKeyProviderRealIT extends KeyProviderContract {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String BUCKET = "kbackup-kms";
    private static final AtomicInteger STACKS = new AtomicInteger();

    @RegisterExtension
    static final ServerExtension<MotoServer> MOTO = ServerExtension.of(MotoServer::start, moto -> moto.createBucket(BUCKET));

    private final Map<String, String> stackByKey = new ConcurrentHashMap<>();
    private AwsKmsKeyProvider provider;
    private KmsClient kms;

    @AfterAll
    void closeClients() {
        if (provider != null) {
            provider.close();
        }
        if (kms != null) {
            kms.close();
        }
    }

    @Override
    protected synchronized AwsKmsKeyProvider provider() {
        if (provider == null) {
            MotoServer moto = MOTO.get();
            provider = AwsKmsKeyProvider.builder().region(moto.region()).endpoint(moto.endpoint())
                    .credentials(Credentials.awsStatic(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)).build();
        }
        return provider;
    }

    /** The AWS SDK's own KMS client on moto, for what the provider does not do (rotate, delete). */
    private synchronized KmsClient kms() {
        if (kms == null) {
            MotoServer moto = MOTO.get();
            kms = KmsClient.builder().httpClient(Apache5HttpClient.builder().build()).region(Region.of(moto.region()))
                    .endpointOverride(URI.create(moto.endpoint()))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY,
                            MotoServer.SECRET_KEY))).build();
        }
        return kms;
    }

    /** A key in its own CloudFormation stack (so that {@link #deleteKey} can remove it); its ARN. */
    @Override
    protected String createKey(String name) {
        String stack = "kbackup-" + name + "-" + STACKS.incrementAndGet();
        String arn = MOTO.get().createKmsKeyStack(stack, "kbackup " + name);
        stackByKey.put(arn, stack);
        return arn;
    }

    /** {@code ScheduleKeyDeletion} (the shortest window), then the key's stack deleted: see the class comment. */
    @Override
    protected void deleteKey(String keyId) {
        // moto answers HTTP 500 to ScheduleKeyDeletion naming the key by its ARN: the bare key id
        kms().scheduleKeyDeletion(r -> r.keyId(keyId.substring(keyId.lastIndexOf('/') + 1)).pendingWindowInDays(7));
        MOTO.get().deleteStack(stackByKey.remove(keyId));
    }

    @Override
    protected String missingKeyId() {
        return "arn:aws:kms:" + MotoServer.REGION + ":" + MotoServer.ACCOUNT_ID + ":key/no-such-key";
    }

    /** {@code RotateKeyOnDemand}; moto records it (checked here) without new key material. */
    @Override
    protected void rotate(String keyId) {
        int before = kms().listKeyRotations(r -> r.keyId(keyId)).rotations().size();
        kms().rotateKeyOnDemand(r -> r.keyId(keyId));
        assertThat(kms().listKeyRotations(r -> r.keyId(keyId)).rotations()).hasSize(before + 1);
    }

    /**
     * {@code false}: AWS KMS rotation keeps every backing key of a key under its one key id, and
     * {@code DisableKey} disables them all; there is no call that disables only the backing key
     * that wrapped an old backup.
     */
    @Override
    protected boolean disablesSingleVersions() {
        return false;
    }

    @Override
    protected BackupClient engine(KubernetesClient cluster, KeyProviders keys) {
        return KBackup.direct(cluster, DirectOptions.builder().keyProviders(keys).build());
    }

    private static BackupLocation location(String prefix, String keyArn) {
        MotoServer moto = MOTO.get();
        return BackupLocation.s3(BUCKET).region(moto.region()).endpoint(moto.endpoint()).prefix(prefix)
                .config(S3Config.S3_FORCE_PATH_STYLE, "true")
                .credentials(Credentials.awsStatic(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY))
                .encryption(Encryption.with(AwsKmsKeyProvider.ID, keyArn)).build();
    }

    @Test
    void isFoundByServiceLoaderAndKeepsItsCredentialsOutOfMessages() {
        assertThat(KeyProviders.discover().provider(AwsKmsKeyProvider.ID, "k")).isInstanceOf(AwsKmsKeyProvider.class);
        String key = createKey("quiet");
        byte[] context = "kbackup/1/b1".getBytes(StandardCharsets.UTF_8);
        byte[] wrapped = provider().wrap(key, new byte[32], context);
        assertThat(provider().toString()).contains("aws-static").doesNotContain(MotoServer.SECRET_KEY);
        assertThatThrownBy(() -> provider().unwrap(key, wrapped, "kbackup/1/b2".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(KeyUnavailableException.class).hasMessageContaining(key).hasMessageContaining("InvalidCiphertextException")
                .hasMessageNotContaining(MotoServer.SECRET_KEY);
    }

    @Test
    void encryptedBackupsThroughMotoS3RestoreAfterTheLocationMovesToANewKmsKey() {
        String k1 = MOTO.get().createKmsKey("kbackup rotation old");
        String k2 = MOTO.get().createKmsKey("kbackup rotation new");
        DirectOptions options = DirectOptions.builder().keyProviders(KeyProviders.discover().with(provider())).build();
        try (EmbeddedCluster source = EmbeddedCluster.start(); EmbeddedCluster target = EmbeddedCluster.start()) {
            source.seed(Stream.of(new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace("shop").endMetadata()
                    .addToData("color", "green").build()));
            try (DirectEngine engine = KBackup.direct(source.client(), options)) {
                BackupInfo old = engine.backup(BackupPlan.builder().name("under-k1").location(location("rot", k1))
                        .includedNamespaces("shop").build()).await(WAIT);
                BackupInfo fresh = engine.backup(BackupPlan.builder().name("under-k2").location(location("rot", k2))
                        .includedNamespaces("shop").build()).await(WAIT);
                assertThat(old.phase()).isEqualTo(BackupPhase.COMPLETED);
                assertThat(fresh.phase()).isEqualTo(BackupPhase.COMPLETED);
                assertThat(engine.listBackups(location("rot", k2))).allMatch(BackupInfo::encrypted).hasSize(2);
                VerifyReport report = engine.verify(location("rot", k2), "under-k1");
                assertThat(report.ok()).as(report.toString()).isTrue();
                assertThat(report.encryption()).contains(k1);
            }
            try (DirectEngine restorer = KBackup.direct(target.client(), options)) {
                for (String backup : new String[] {"under-k1", "under-k2"}) {
                    assertThat(restorer.restore(RestorePlan.builder().location(location("rot", k2)).backupName(backup)
                            .namespaceMapping(Map.of("shop", backup)).build()).await(WAIT).phase()).isEqualTo(RestorePhase.COMPLETED);
                    assertThat(target.client().configMaps().inNamespace(backup).withName("settings").get().getData())
                            .containsEntry("color", "green");
                }
            }
        }
    }
}

package io.kbackup.storage.s3protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kbackup.BackupLocation;
import io.kbackup.InvalidPlanException;
import io.kbackup.NotFoundException;
import io.kbackup.StorageDeniedException;
import io.kbackup.StorageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The shared S3 protocol pieces: settings, the error table, the upload listing reader. */
class S3ProtocolTest {

    private static final S3ErrorTable.Flavour FLAVOUR = new S3ErrorTable.Flavour("grant it", "allow all",
            "bucket name", "check the endpoint");

    private static S3LocationSettings settings(String endpoint) {
        return S3LocationSettings.parse(BackupLocation.minio(endpoint, "b").build(), "minio", true, "required");
    }

    @Test
    void aPasswordInTheEndpointIsMaskedWhereverTheEndpointIsPrinted() {
        S3LocationSettings s = settings("https://user:pa55word@minio.example.com:9000");
        assertThat(s.where()).isEqualTo("s3://b at https://***@minio.example.com:9000");
        assertThat(s.toString()).doesNotContain("pa55word");
        assertThatThrownBy(() -> settings("ftp://user:pa55word@minio.example.com"))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("***@")
                .hasMessageNotContaining("pa55word");
        assertThat(BackupLocation.minio("https://user:pa55word@minio.example.com:9000", "b").build().toString())
                .doesNotContain("pa55word");
    }

    @Test
    void sharedSettingsAreCheckedWithTheKeyNamed() {
        assertThatThrownBy(() -> S3LocationSettings.parse(BackupLocation.minio("http://h:9000", "b")
                .config(S3ProtocolKeys.PART_SIZE_BYTES, "1024").build(), "minio", true, null))
                .isInstanceOf(InvalidPlanException.class).hasMessageContaining("partSizeBytes")
                .hasMessageContaining("(minio)");
        S3LocationSettings s = settings("http://h:9000");
        assertThat(s.pathStyle()).isTrue();
        assertThat(s.region()).isEqualTo(S3ProtocolKeys.DEFAULT_REGION);
        assertThat(s.partSize()).isEqualTo((int) S3ProtocolKeys.DEFAULT_PART_SIZE_BYTES);
    }

    @Test
    void errorCodesMapToTypedExceptions() {
        assertThat(map(404, "NoSuchKey", "k")).isInstanceOf(NotFoundException.class);
        assertThat(map(404, "NoSuchBucket", null)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("bucket name");
        assertThat(map(403, "SignatureDoesNotMatch", null)).isInstanceOf(StorageDeniedException.class)
                .hasMessageContaining("secret");
        assertThat(map(403, "AccessDenied", null)).isInstanceOf(StorageDeniedException.class)
                .hasMessageContaining("grant it");
        assertThat(map(503, "SlowDown", null)).isInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(((StorageException) e).retryable()).isTrue());
        assertThat(map(400, "InvalidArgument", null))
                .satisfies(e -> assertThat(((StorageException) e).retryable()).isFalse());
    }

    @Test
    void theStandInCauseCarriesTheAnswerButNotTheClientExceptionsText() {
        RuntimeException client = new IllegalStateException("request headers: X-Amz-Security-Token: s3cr3t-token",
                new IOException("socket closed"));
        S3ServiceAnswer a = new S3ServiceAnswer("MinIO", 403, "AccessDenied", "Access Denied.", "R1", false);
        RuntimeException cause = a.asCause(client, IllegalStateException.class);
        StringWriter out = new StringWriter();
        cause.printStackTrace(new PrintWriter(out));
        assertThat(out.toString()).contains("MinIO said: 403 AccessDenied: Access Denied., request id R1")
                .contains("socket closed").doesNotContain("s3cr3t-token");
    }

    @Test
    void readsAListMultipartUploadsAnswerWithAnEmptyStorageClass() throws IOException {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListMultipartUploadsResult"
                + " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>b</Bucket><KeyMarker></KeyMarker>"
                + "<NextKeyMarker>a/2</NextKeyMarker><NextUploadIdMarker>u2</NextUploadIdMarker>"
                + "<IsTruncated>true</IsTruncated><Upload><Key>a/1</Key><UploadId>u1</UploadId><StorageClass>"
                + "</StorageClass><Initiated>2026-11-30T12:00:00.5Z</Initiated></Upload><Upload><Key>a/2</Key>"
                + "<UploadId>u2</UploadId></Upload></ListMultipartUploadsResult>";
        S3UploadListing l = S3UploadListing.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(l.uploads()).containsExactly(
                new S3UploadListing.Upload("a/1", "u1", Instant.parse("2026-11-30T12:00:00.5Z")),
                new S3UploadListing.Upload("a/2", "u2", null));
        assertThat(l.truncated()).isTrue();
        assertThat(l.nextKeyMarker()).isEqualTo("a/2");
        assertThat(l.nextUploadIdMarker()).isEqualTo("u2");
        assertThatThrownBy(() -> S3UploadListing.parse(new ByteArrayInputStream(
                "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IOException.class);
    }

    private static Throwable map(int status, String code, String key) {
        return S3ErrorTable.map(new S3ServiceAnswer("S3", status, code, "words", null, false), null, "read",
                "s3://b/k", key, FLAVOUR);
    }
}

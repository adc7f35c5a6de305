package io.kbackup.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.BackupLocation;
import io.kbackup.KBackupException;
import io.kbackup.NotFoundException;
import io.kbackup.StorageDeniedException;
import io.kbackup.StorageException;
import io.kbackup.StorageUnreachableException;
import io.kbackup.ValidationResult.Kind;
import io.kbackup.storage.minio.internal.MinioErrors;
import io.kbackup.storage.minio.internal.MinioSettings;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.ErrorResponse;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the MinIO client's errors become kbackup exceptions and validation problems. */
class MinioErrorMappingTest {

    static final MinioSettings SETTINGS = MinioSettings.of(BackupLocation.minio("https://minio.example.com", "backups").build());

    static ErrorResponseException error(int status, String code, String message) {
        Response response = new Response.Builder()
                .request(new Request.Builder().url("https://minio.example.com/backups").build())
                .protocol(Protocol.HTTP_1_1).code(status).message("status").build();
        ErrorResponse body = new ErrorResponse(code, message, "backups", null, "/backups", "REQ9", "host");
        return new ErrorResponseException(body, response, null);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "404, NoSuchBucket, BUCKET_MISSING",
            "403, AccessDenied, ACCESS_DENIED",
            "403, InvalidAccessKeyId, BAD_CREDENTIALS",
            "403, SignatureDoesNotMatch, BAD_CREDENTIALS",
            "400, ExpiredToken, BAD_CREDENTIALS",
            "400, AuthorizationHeaderMalformed, INVALID_CONFIGURATION",
            "503, XMinioServerNotInitialized, OTHER"
    })
    void validationKindFollowsTheServerErrorCode(int status, String code, Kind kind) {
        var p = MinioErrors.problem(new ExecutionException(error(status, code, "words of " + code)), SETTINGS);
        assertThat(p.kind()).isEqualTo(kind);
        assertThat(p.message()).contains("MinIO said: " + status + " " + code).contains("words of " + code);
        assertThat(p.fix()).isNotBlank();
    }

    @ParameterizedTest(name = "{0} {1} retryable={2}")
    @CsvSource({"503, SlowDown, true", "500, InternalError, true", "503, XMinioServerNotInitialized, true",
            "400, InvalidArgument, false", "507, XMinioStorageFull, true"})
    void serverFailuresAreRetryableOnlyWhenTryingAgainCanHelp(int status, String code, boolean retryable) {
        KBackupException e = MinioErrors.map(new CompletionException(error(status, code, "w")), "store", "s3://b/k", null);
        assertThat(e).isExactlyInstanceOf(StorageException.class);
        assertThat(e.retryable()).isEqualTo(retryable);
    }

    @Test
    void refusalsAreDeniedAndMissingKeysNotFound() {
        assertThat(MinioErrors.map(error(403, "AccessDenied", "no"), "read", "s3://b/k", "k"))
                .isInstanceOf(StorageDeniedException.class).matches(e -> !e.retryable());
        assertThat(MinioErrors.map(error(403, "SignatureDoesNotMatch", "no"), "read", "s3://b/k", "k"))
                .isInstanceOf(StorageDeniedException.class).hasMessageContaining("secret key does not match");
        assertThat(MinioErrors.map(error(404, "NoSuchKey", "gone"), "read", "s3://b/k", "k"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.name()).isEqualTo("k"));
        assertThat(MinioErrors.map(error(404, "NoSuchBucket", "gone"), "read", "s3://b/k", "k"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.name()).isEqualTo("b"));
    }

    @Test
    void connectionFailuresAreUnreachable() {
        var refused = new ExecutionException(new ConnectException("Failed to connect to /127.0.0.1:1"));
        assertThat(MinioErrors.problem(refused, SETTINGS).kind()).isEqualTo(Kind.UNREACHABLE);
        assertThat(MinioErrors.map(refused, "read", "s3://b/k", "k"))
                .isInstanceOf(StorageUnreachableException.class).matches(KBackupException::retryable);
    }
}

package io.kbackup.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import io.kbackup.Credentials;
import io.kbackup.KeyUnavailableException;
import io.kbackup.testkit.servers.LoopbackJsonServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which AWS KMS error answers the {@code aws-kms} provider calls worth retrying: a throttled call
 * is, though KMS answers it HTTP 400; a key in the wrong state or a refused call is not. Moto never
 * throttles, so a loopback server answers as KMS does (an in-process server: an {@code IT}, not a
 * unit test).
 */
class AwsKmsRetryIT {

    /** Answers every KMS call with one error. */
    private static final class KmsError extends LoopbackJsonServer {
        private final int status;
        private final String type;

        KmsError(int status, String type) throws IOException {
            super("/");
            this.status = status;
            this.type = type;
        }

        @Override
        protected void handle(HttpExchange exchange, String path, byte[] body) throws IOException {
            send(exchange, status, "{\"__type\":\"" + type + "\",\"message\":\"" + type + " from the fake\"}");
        }
    }

    @ParameterizedTest(name = "{0} {1} -> retryable {2}")
    @CsvSource({
            "400, ThrottlingException, true",
            "429, TooManyRequestsException, true",
            "500, KMSInternalException, true",
            "503, DependencyTimeoutException, true",
            "400, KMSInvalidStateException, false",
            "400, DisabledException, false",
            "400, AccessDeniedException, false",
            "400, NotFoundException, false"})
    void callsOnlyThrottlingAndServerErrorsRetryable(int status, String type, boolean retryable) throws IOException {
        try (KmsError kms = new KmsError(status, type);
                AwsKmsKeyProvider provider = AwsKmsKeyProvider.builder().region("us-east-1").endpoint(kms.baseUrl())
                        .credentials(Credentials.awsStatic("AKIAFAKE", "fake-secret-value")).build()) {
            String key = "arn:aws:kms:us-east-1:123456789012:key/k1";
            assertThatThrownBy(() -> provider.unwrap(key, new byte[16], "kbackup/1/b1".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(KeyUnavailableException.class).hasMessageContaining(key).hasMessageContaining(type)
                    .hasMessageNotContaining("fake-secret-value")
                    .satisfies(e -> assertThat(((KeyUnavailableException) e).retryable()).isEqualTo(retryable));
        }
    }
}

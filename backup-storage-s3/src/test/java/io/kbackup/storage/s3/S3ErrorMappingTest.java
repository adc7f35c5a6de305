package io.kbackup.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.kbackup.BackupLocation;
import io.kbackup.KBackupException;
import io.kbackup.NotFoundException;
import io.kbackup.StorageDeniedException;
import io.kbackup.StorageException;
import io.kbackup.StorageUnreachableException;
import io.kbackup.ValidationResult;
import io.kbackup.ValidationResult.Kind;
import io.kbackup.storage.s3.internal.S3Errors;
import io.kbackup.storage.s3.internal.S3Settings;
import java.net.ConnectException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * How S3 and STS errors become kbackup exceptions and validation problems. The exceptions are the
 * SDK's own types, built as the SDK builds them from a service answer.
 */
class S3ErrorMappingTest {

    static final S3Settings SETTINGS = S3Settings.of(BackupLocation.s3("team-backups").region("eu-west-1").build());

    static S3Exception s3(int status, String code, String message) {
        return (S3Exception) S3Exception.builder()
                .statusCode(status)
                .message(message)
                .requestId("REQ123")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("S3").build())
                .build();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "404, NoSuchBucket, BUCKET_MISSING",
            "403, AccessDenied, ACCESS_DENIED",
            "403, AllAccessDisabled, ACCESS_DENIED",
            "403, InvalidAccessKeyId, BAD_CREDENTIALS",
            "403, SignatureDoesNotMatch, BAD_CREDENTIALS",
            "400, ExpiredToken, BAD_CREDENTIALS",
            "400, InvalidToken, BAD_CREDENTIALS",
            "301, PermanentRedirect, INVALID_CONFIGURATION",
            "400, AuthorizationHeaderMalformed, INVALID_CONFIGURATION",
            "503, SlowDown, OTHER",
            "500, InternalError, OTHER"
    })
    void validationKindFollowsTheServiceErrorCode(int status, String code, Kind kind) {
        ValidationResult.Problem p = S3Errors.problem(s3(status, code, "the service's words for " + code), SETTINGS);
        assertThat(p.kind()).isEqualTo(kind);
        assertThat(p.message()).contains(code).contains("the service's words for " + code).contains("REQ123");
        assertThat(p.fix()).isNotBlank();
    }

    @Test
    void codeAndMessageAreReadFromAnErrorBodyTheSdkCouldNotParse() {
        // moto's IAM checks answer STS with <ErrorResponse><Errors><Error>..., which the SDK leaves unparsed
        AwsServiceException e = AwsServiceException.builder().statusCode(403).requestId("REQ9")
                .awsErrorDetails(AwsErrorDetails.builder().serviceName("Sts").rawResponse(SdkBytes.fromUtf8String(
                        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ErrorResponse><Errors><Error><Code>InvalidClientTokenId"
                                + "</Code><Message>The security token included in the request is invalid.</Message>"
                                + "<Type>Sender</Type></Error></Errors></ErrorResponse>")).build())
                .build();
        ValidationResult.Problem p = S3Errors.problem(e, SETTINGS);
        assertThat(p.kind()).isEqualTo(Kind.BAD_CREDENTIALS);
        assertThat(p.message()).contains("Sts said: 403 InvalidClientTokenId: The security token included in the"
                + " request is invalid., request id REQ9");
    }

    @Test
    void headBucketStyleNotFoundWithoutCodeIsAMissingBucket() {
        NoSuchBucketException e = (NoSuchBucketException) NoSuchBucketException.builder().statusCode(404)
                .awsErrorDetails(AwsErrorDetails.builder().serviceName("S3").build()).build();
        assertThat(S3Errors.problem(e, SETTINGS).kind()).isEqualTo(Kind.BUCKET_MISSING);
    }

    @Test
    void fixesSayWhatToChange() {
        assertThat(S3Errors.problem(s3(403, "SignatureDoesNotMatch", "x"), SETTINGS).fix()).contains("secret");
        assertThat(S3Errors.problem(s3(403, "InvalidAccessKeyId", "x"), SETTINGS).fix()).contains("access key id");
        assertThat(S3Errors.problem(s3(403, "AccessDenied", "x"), SETTINGS).fix())
                .contains("s3:ListBucket").contains("s3:PutObject").contains("kms:GenerateDataKey");
        assertThat(S3Errors.problem(s3(404, "NoSuchBucket", "x"), SETTINGS).fix()).contains("Create the bucket")
                .contains("eu-west-1");
    }

    @Test
    void stsErrorsMapLikeS3Errors() {
        StsException denied = (StsException) StsException.builder().statusCode(403)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").serviceName("STS")
                        .errorMessage("not authorized to perform: sts:AssumeRole").build()).build();
        StsException badKey = (StsException) StsException.builder().statusCode(403)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidClientTokenId").serviceName("STS")
                        .errorMessage("The security token included in the request is invalid.").build()).build();
        assertThat(S3Errors.problem(denied, SETTINGS).kind()).isEqualTo(Kind.ACCESS_DENIED);
        assertThat(S3Errors.problem(denied, SETTINGS).message()).contains("STS said: 403 AccessDenied");
        assertThat(S3Errors.problem(badKey, SETTINGS).kind()).isEqualTo(Kind.BAD_CREDENTIALS);
    }

    @Test
    void connectionFailuresAreUnreachable() {
        SdkClientException refused = SdkClientException.builder().message("Unable to execute HTTP request")
                .cause(new ConnectException("Connection refused")).build();
        SdkClientException dns = SdkClientException.builder().message("Unable to execute HTTP request")
                .cause(new UnknownHostException("s3.nowhere.invalid")).build();
        SdkClientException tls = SdkClientException.builder().message("Unable to execute HTTP request")
                .cause(new SSLHandshakeException("PKIX path building failed")).build();
        assertThat(S3Errors.problem(refused, SETTINGS).kind()).isEqualTo(Kind.UNREACHABLE);
        assertThat(S3Errors.problem(dns, SETTINGS).message()).contains("s3.nowhere.invalid");
        assertThat(S3Errors.problem(tls, SETTINGS).fix()).contains("caCert");
        assertThat(S3Errors.problem(ApiCallTimeoutException.create(10_000), SETTINGS).kind()).isEqualTo(Kind.UNREACHABLE);

        KBackupException e = S3Errors.map(refused, "read", "s3://b/k", "k");
        assertThat(e).isInstanceOf(StorageUnreachableException.class);
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void missingCredentialsAreBadCredentials() {
        SdkClientException none = SdkClientException.builder()
                .message("Unable to load credentials from any of the providers in the chain").build();
        ValidationResult.Problem p = S3Errors.problem(none, SETTINGS);
        assertThat(p.kind()).isEqualTo(Kind.BAD_CREDENTIALS);
        assertThat(p.fix()).contains("default").contains("role");
    }

    @ParameterizedTest(name = "{0} {1} retryable={2}")
    @CsvSource({
            "503, SlowDown, true",
            "503, ServiceUnavailable, true",
            "500, InternalError, true",
            "502, '', true",
            "429, '', true",
            "400, RequestTimeout, true",
            "400, ThrottlingException, true",
            "400, InvalidArgument, false",
            "409, OperationAborted, true",
            "412, PreconditionFailed, false"
    })
    void serviceFailuresAreRetryableOnlyWhenTryingAgainCanHelp(int status, String code, boolean retryable) {
        KBackupException e = S3Errors.map(s3(status, code, "words"), "store", "s3://b/k", null);
        assertThat(e).isExactlyInstanceOf(StorageException.class);
        assertThat(e.retryable()).isEqualTo(retryable);
        assertThat(e.getMessage()).contains("s3://b/k").contains("words");
    }

    @ParameterizedTest
    @CsvSource({"403, AccessDenied", "403, InvalidAccessKeyId", "403, SignatureDoesNotMatch", "400, ExpiredToken",
            "403, ''"})
    void refusalsAreDeniedAndNotRetryable(int status, String code) {
        KBackupException e = S3Errors.map(s3(status, code, "no"), "store", "s3://b/k", null);
        assertThat(e).isInstanceOf(StorageDeniedException.class);
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void missingKeyIsNotFoundCarryingTheKey() {
        NoSuchKeyException noKey = (NoSuchKeyException) NoSuchKeyException.builder().statusCode(404)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("NoSuchKey").serviceName("S3")
                        .errorMessage("The specified key does not exist.").build()).build();
        KBackupException e = S3Errors.map(noKey, "read", "s3://b/backups/x.tar.gz", "backups/x.tar.gz");
        assertThat(e).isInstanceOfSatisfying(NotFoundException.class, nf -> assertThat(nf.name()).isEqualTo("backups/x.tar.gz"));
        assertThat(e.retryable()).isFalse();

        KBackupException bucket = S3Errors.map(s3(404, "NoSuchBucket", "The specified bucket does not exist"), "read",
                "s3://gone/k", "k");
        assertThat(bucket).isInstanceOfSatisfying(NotFoundException.class, nf -> assertThat(nf.name()).isEqualTo("gone"));
    }

    @Test
    void noCredentialsInTheDefaultChainIsOneShortLineNotTheChainsDump() {
        SdkClientException e;
        try {
            // the SDK's own message when no source of a chain has credentials: every provider with its reason
            software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain.of(
                    software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider.create(),
                    software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider.create()).resolveCredentials();
            throw new AssertionError("expected no credentials (are aws.accessKeyId/aws.secretAccessKey set?)");
        } catch (SdkClientException thrown) {
            e = thrown;
        }
        assertThat(e.getMessage()).contains("providers in the chain");

        ValidationResult.Problem problem = S3Errors.problem(e, SETTINGS);

        assertThat(problem.kind()).isEqualTo(Kind.BAD_CREDENTIALS);
        assertThat(problem.message()).startsWith("No usable credentials: none of the default chain's sources had any")
                .contains("AWS_ACCESS_KEY_ID").doesNotContain("AwsCredentialsProviderChain").hasSizeLessThan(400);
    }
}

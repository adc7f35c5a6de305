package io.kbackup.storage.minio.internal;

import io.kbackup.Credentials;
import io.kbackup.KBackupException;
import io.kbackup.StorageException;
import io.kbackup.ValidationResult;
import io.kbackup.ValidationResult.Kind;
import io.kbackup.storage.s3protocol.S3ErrorTable;
import io.kbackup.storage.s3protocol.S3LocationSettings;
import io.kbackup.storage.s3protocol.S3ServiceAnswer;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.MinioException;
import io.minio.errors.ServerException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps MinIO client exceptions to kbackup's typed exceptions and to validation problems, through
 * the S3 error table every S3 provider shares ({@link S3ErrorTable}).
 *
 * <p>A MinIO client exception is never chained as it is: its {@code toString()} prints the
 * request's headers, the session token ({@code X-Amz-Security-Token}) included. What is chained is
 * an {@link S3ServiceAnswer#asCause stand-in} with the status, code, message and request id only.
 */
public final class MinioErrors {

    /** The advice of the minio provider's messages: the user's MinIO policy. */
    static final S3ErrorTable.Flavour FLAVOUR = new S3ErrorTable.Flavour(
            "Grant the credentials' user the permission for this operation in its MinIO policy.",
            "Allow s3:ListBucket, s3:GetObject, s3:PutObject, s3:DeleteObject, s3:AbortMultipartUpload and"
                    + " s3:ListMultipartUploadParts on the bucket in the user's MinIO policy.",
            "bucket name of the backup location (mc mb creates one)",
            "Set the server's region, and check the endpoint URL and s3ForcePathStyle.");

    /** The MinIO client's message when its credentials provider found no keys. */
    private static final String NO_KEYS = "AccessKey must not be null";

    private static final Pattern RESPONSE_CODE = Pattern.compile("Response code: (\\d{3})");

    private MinioErrors() {}

    /** The failure inside {@link ExecutionException} and {@link CompletionException} wrappers. */
    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * The kbackup exception for a failed operation.
     *
     * @param key the key, for {@link io.kbackup.NotFoundException#name()}; {@code null} when not about a key
     */
    public static KBackupException map(Throwable failure, String operation, String where, String key) {
        Throwable e = unwrap(failure);
        if (e instanceof KBackupException k) {
            return k;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new StorageException("Interrupted while trying to " + operation + " " + where + ".", e, true);
        }
        S3ServiceAnswer a = answer(e);
        if (a != null) {
            return S3ErrorTable.map(a, a.asCause(e, MinioException.class), operation, where, key, FLAVOUR);
        }
        if (S3ErrorTable.unreachableCause(e)) {
            return S3ErrorTable.unreachable(operation, where, e);
        }
        return new StorageException("Could not " + operation + " " + where + ": " + message(e), e instanceof MinioException
                ? new S3ServiceAnswer("MinIO", 0, "", message(e), null, false).asCause(e, MinioException.class) : e,
                e instanceof IOException);
    }

    /** The validation problem for a failure while checking a location. */
    public static ValidationResult.Problem problem(Throwable failure, MinioSettings s) {
        Throwable e = unwrap(failure);
        S3ServiceAnswer a = answer(e);
        if (a != null) {
            ValidationResult.Problem p = S3ErrorTable.problem(a, s.where(), s.bucket(), FLAVOUR);
            if (p.kind() == Kind.ACCESS_DENIED && s.credentials() instanceof Credentials.None) {
                return new ValidationResult.Problem(Kind.ACCESS_DENIED, "The request was anonymous (the location gives no"
                        + " credentials). " + p.message(), "Give the location credentials (Credentials.awsStatic), or allow"
                        + " anonymous access to the bucket.");
            }
            return p;
        }
        if (s.credentials() instanceof Credentials.AwsDefaultChain && String.valueOf(S3ErrorTable.rootMessage(e)).contains(NO_KEYS)) {
            return new ValidationResult.Problem(Kind.BAD_CREDENTIALS, "No usable credentials for " + s.where() + ": none of"
                    + " the default chain's sources had any (environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
                    + " or MINIO_ACCESS_KEY/MINIO_SECRET_KEY, the profile file ~/.aws/credentials).",
                    "Give the location static keys (Credentials.awsStatic) or set up one of those sources.");
        }
        if (S3ErrorTable.unreachableCause(e)) {
            return S3ErrorTable.unreachableProblem(s.where(), e, "");
        }
        return new ValidationResult.Problem(Kind.OTHER, "Checking " + s.where() + " failed: " + message(e) + ".",
                "Check the backup location's settings against the message.");
    }

    /** The protocol-level facts of an error answer, or {@code null} when {@code e} is not one. */
    static S3ServiceAnswer answer(Throwable e) {
        if (e instanceof ErrorResponseException er) {
            String message = er.errorResponse() != null ? er.errorResponse().message() : null;
            String requestId = er.errorResponse() != null ? er.errorResponse().requestId() : null;
            return new S3ServiceAnswer("MinIO", status(er), code(er), message, requestId, false);
        }
        int status = statusOf(e);
        return status > 0 ? new S3ServiceAnswer("MinIO", status, "", null, null, false) : null;
    }

    static String code(ErrorResponseException e) {
        return e.errorResponse() != null && e.errorResponse().code() != null ? e.errorResponse().code() : "";
    }

    static int status(ErrorResponseException e) {
        return e.response() != null ? e.response().code() : 0;
    }

    /** The HTTP status of a non-XML error answer, or 0. */
    private static int statusOf(Throwable e) {
        if (e instanceof ServerException se) {
            return se.statusCode();
        }
        if (e instanceof InvalidResponseException && e.getMessage() != null) {
            Matcher m = RESPONSE_CODE.matcher(e.getMessage());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return 0;
    }

    /**
     * The failure's message for ours: of a MinIO client exception only its first line (the rest is
     * the HTTP trace, headers included), of another the deepest message of its chain.
     */
    private static String message(Throwable e) {
        if (e instanceof MinioException) {
            String m = e.getMessage();
            String first = m == null ? "" : m.strip().lines().findFirst().orElse("");
            return e.getClass().getSimpleName() + (first.isEmpty() ? "" : ": " + S3LocationSettings.masked(first));
        }
        return S3ErrorTable.rootMessage(e);
    }
}

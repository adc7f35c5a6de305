package io.kbackup.storage.minio.internal;

import io.kbackup.KBackupException;
import io.kbackup.NotFoundException;
import io.kbackup.StorageDeniedException;
import io.kbackup.StorageException;
import io.kbackup.StorageUnreachableException;
import io.kbackup.ValidationResult;
import io.kbackup.ValidationResult.Kind;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Maps MinIO client exceptions to kbackup's typed exceptions and to validation problems, with the
 * S3 error codes and the same wording as the {@code s3} provider.
 */
public final class MinioErrors {

    static final Set<String> BAD_CREDENTIAL_CODES = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch",
            "ExpiredToken", "InvalidToken", "TokenRefreshRequired", "InvalidClientTokenId", "MissingSecurityHeader");
    static final Set<String> DENIED_CODES = Set.of("AccessDenied", "AllAccessDisabled", "AccountProblem",
            "InvalidObjectState");
    static final Set<String> RETRYABLE_CODES = Set.of("SlowDown", "SlowDownRead", "SlowDownWrite", "Throttling",
            "RequestTimeout", "InternalError", "ServiceUnavailable", "XMinioServerNotInitialized", "OperationAborted",
            "XMinioStorageFull");
    static final Set<String> CONFIGURATION_CODES = Set.of("PermanentRedirect", "AuthorizationHeaderMalformed",
            "InvalidBucketName", "InvalidRegion", "InvalidArgument", "AuthorizationQueryParametersError");
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
     * @param key the key, for {@link NotFoundException#name()}; {@code null} when not about a key
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
        if (e instanceof ErrorResponseException er) {
            String code = code(er);
            int status = status(er);
            String said = said(er);
            if ("NoSuchKey".equals(code) || "NoSuchObject".equals(code) || (status == 404 && key != null
                    && !"NoSuchBucket".equals(code))) {
                return new NotFoundException(key, "No blob " + where + " (" + said + ").");
            }
            if ("NoSuchBucket".equals(code)) {
                return new NotFoundException(bucketOf(where), "Could not " + operation + " " + where + ": the bucket does"
                        + " not exist (" + said + "). Create it, or correct the bucket name of the backup location.");
            }
            if (BAD_CREDENTIAL_CODES.contains(code)) {
                return new StorageDeniedException("Could not " + operation + " " + where + ": the credentials were refused ("
                        + said + "). " + badCredentialsFix(code), e);
            }
            if (DENIED_CODES.contains(code) || status == 401 || status == 403) {
                return new StorageDeniedException("Could not " + operation + " " + where + ": access denied (" + said
                        + "). Grant the credentials' user the permission for this operation in its MinIO policy.", e);
            }
            boolean retry = status >= 500 || status == 429 || RETRYABLE_CODES.contains(code);
            return new StorageException("Could not " + operation + " " + where + " (" + said + ")."
                    + (retry ? " The service is busy or failing; retry later." : ""), e, retry);
        }
        int status = statusOf(e);
        if (status > 0) {
            boolean retry = status >= 500 || status == 429;
            if (status == 401 || status == 403) {
                return new StorageDeniedException("Could not " + operation + " " + where + ": access denied (MinIO said: "
                        + status + "). Check the credentials and the user's MinIO policy.", e);
            }
            return new StorageException("Could not " + operation + " " + where + " (MinIO said: " + status + ")."
                    + (retry ? " The service is busy or failing; retry later." : ""), e, retry);
        }
        if (unreachable(e)) {
            return new StorageUnreachableException("Could not " + operation + " " + where + ": the endpoint could not be"
                    + " reached (" + rootMessage(e) + "). Check the endpoint URL, DNS, network, proxy and TLS settings"
                    + " (caCert) of the backup location.", e);
        }
        return new StorageException("Could not " + operation + " " + where + ": " + rootMessage(e), e,
                e instanceof IOException);
    }

    /** The validation problem for a failure while checking a location. */
    public static ValidationResult.Problem problem(Throwable failure, MinioSettings s) {
        Throwable e = unwrap(failure);
        String where = s.where();
        if (e instanceof ErrorResponseException er) {
            String code = code(er);
            int status = status(er);
            String said = said(er);
            if ("NoSuchBucket".equals(code)) {
                return new ValidationResult.Problem(Kind.BUCKET_MISSING, "Bucket '" + s.bucket() + "' does not exist ("
                        + said + ").", "Create the bucket (mc mb), or correct the bucket name of the backup location.");
            }
            if (BAD_CREDENTIAL_CODES.contains(code)) {
                return new ValidationResult.Problem(Kind.BAD_CREDENTIALS, "The credentials were refused by " + where
                        + " (" + said + ").", badCredentialsFix(code));
            }
            if (DENIED_CODES.contains(code) || status == 401 || status == 403) {
                return new ValidationResult.Problem(Kind.ACCESS_DENIED, "Access to " + where + " was denied (" + said
                        + ").", "Allow s3:ListBucket, s3:GetObject, s3:PutObject, s3:DeleteObject,"
                        + " s3:AbortMultipartUpload and s3:ListMultipartUploadParts on the bucket in the user's MinIO"
                        + " policy.");
            }
            if (CONFIGURATION_CODES.contains(code) || status == 301 || status == 307) {
                return new ValidationResult.Problem(Kind.INVALID_CONFIGURATION, "The request to " + where
                        + " does not match the server (" + said + ").", "Set the server's region, and check the"
                        + " endpoint URL and s3ForcePathStyle.");
            }
            return new ValidationResult.Problem(Kind.OTHER, "The service at " + where + " failed the check (" + said
                    + ").", status >= 500 ? "The service is busy or failing; try again later."
                    : "Check the backup location's settings against the message.");
        }
        if (unreachable(e)) {
            return new ValidationResult.Problem(Kind.UNREACHABLE, "Could not reach " + where + ": " + rootMessage(e) + ".",
                    causedBy(e, SSLException.class)
                            ? "The TLS handshake failed: give the server's CA in caCert, or fix the certificate."
                            : "Check the endpoint URL (scheme, host, port), DNS, firewall and proxy, and that the"
                                    + " server is running.");
        }
        int status = statusOf(e);
        if (status == 401 || status == 403) {
            return new ValidationResult.Problem(Kind.ACCESS_DENIED, "Access to " + where + " was denied (MinIO said: "
                    + status + ").", "Check the credentials and the user's MinIO policy.");
        }
        return new ValidationResult.Problem(Kind.OTHER, "Checking " + where + " failed: " + rootMessage(e) + ".",
                "Check the backup location's settings against the message.");
    }

    static String badCredentialsFix(String code) {
        return switch (code) {
            case "InvalidAccessKeyId", "InvalidClientTokenId" ->
                    "The access key is not known to the server: check it, and that the user exists and is enabled.";
            case "SignatureDoesNotMatch" -> "The secret key does not match the access key: check the secret.";
            case "ExpiredToken", "TokenRefreshRequired" -> "The session token has expired: use fresh temporary keys.";
            default -> "Check the credentials of the backup location.";
        };
    }

    static boolean unreachable(Throwable e) {
        return causedBy(e, ConnectException.class) || causedBy(e, UnknownHostException.class)
                || causedBy(e, NoRouteToHostException.class) || causedBy(e, SocketTimeoutException.class)
                || causedBy(e, SSLException.class)
                || (causedBy(e, InterruptedIOException.class) && !Thread.currentThread().isInterrupted());
    }

    static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
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

    /** {@code MinIO said: 403 AccessDenied: Access Denied., request id ...}. */
    static String said(ErrorResponseException e) {
        String message = e.errorResponse() != null ? e.errorResponse().message() : null;
        String requestId = e.errorResponse() != null ? e.errorResponse().requestId() : null;
        String code = code(e);
        return "MinIO said: " + status(e) + (code.isEmpty() ? "" : " " + code)
                + (message != null && !message.isBlank() ? ": " + message : "")
                + (requestId != null && !requestId.isBlank() ? ", request id " + requestId : "");
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        String message = e.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        String kind = t.getClass().getSimpleName();
        return message == null ? kind : kind + ": " + message;
    }

    private static String bucketOf(String where) {
        String rest = where.startsWith("s3://") ? where.substring(5) : where;
        int slash = rest.indexOf('/');
        int space = rest.indexOf(' ');
        int end = slash < 0 ? space : space < 0 ? slash : Math.min(slash, space);
        return end < 0 ? rest : rest.substring(0, end);
    }
}

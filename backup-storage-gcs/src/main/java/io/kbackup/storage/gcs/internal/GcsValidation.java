package io.kbackup.storage.gcs.internal;

import com.google.cloud.storage.Storage;
import io.kbackup.ValidationResult;
import io.kbackup.spi.support.CauseChain;
import java.util.function.Supplier;

/**
 * {@link GcsStorageProvider#validate()}: lists one object through the validation client and turns
 * each kind of failure (bucket missing, no or refused credentials, access denied, service
 * unreachable) into a problem that says what to fix.
 */
final class GcsValidation {

    private GcsValidation() {}

    /** Lists one object of {@code bucket}; a failure becomes a problem saying what to fix. */
    static ValidationResult validate(String bucket, Supplier<Storage> validationStorage, GcsErrors errors) {
        String where = "Google Cloud Storage bucket '" + bucket + "'";
        try {
            validationStorage.get().list(bucket, Storage.BlobListOption.pageSize(1)).getValues().iterator().hasNext();
            return ValidationResult.ok();
        } catch (RuntimeException e) {
            com.google.cloud.BaseServiceException se = CauseChain.find(e, com.google.cloud.BaseServiceException.class);
            if (se != null && se.getCode() == 404) {
                return ValidationResult.failed(ValidationResult.Kind.BUCKET_MISSING,
                        where + " does not exist (" + errors.describe(se) + ").",
                        "Create it (gcloud storage buckets create gs://" + bucket + ") or correct the location's bucket.");
            }
            if (e instanceof io.kbackup.StorageDeniedException denied && denied.getMessage().startsWith(GcsSettings.NO_CREDENTIALS)) {
                return ValidationResult.failed(ValidationResult.Kind.BAD_CREDENTIALS, where + ": " + denied.getMessage(),
                        "Give the location a service-account key (Credentials.gcsServiceAccountJson) or set up one of"
                                + " those sources.");
            }
            if ((se != null && se.getCode() == 401) || GcsErrors.isAuthFailure(e)
                    || e instanceof io.kbackup.StorageDeniedException) {
                String detail = se != null && se.getCode() > 0 ? errors.describe(se)
                        : errors.map(e, "authenticating", null).getMessage();
                return ValidationResult.failed(ValidationResult.Kind.BAD_CREDENTIALS,
                        where + ": the credentials were refused (" + detail + ").",
                        "Use a current service-account key (gcloud iam service-accounts keys create), or check"
                                + " GOOGLE_APPLICATION_CREDENTIALS / the workload identity binding.");
            }
            if (se != null && se.getCode() == 403) {
                return ValidationResult.failed(ValidationResult.Kind.ACCESS_DENIED,
                        where + ": listing objects was denied (" + errors.describe(se) + ").",
                        "Grant the service account roles/storage.objectAdmin (or storage.objects.create, get, list"
                                + " and delete) on the bucket.");
            }
            Throwable cause = GcsErrors.unreachableCause(e);
            if (cause != null) {
                return ValidationResult.failed(ValidationResult.Kind.UNREACHABLE,
                        where + ": cannot reach the service: " + cause.getClass().getSimpleName() + ": "
                                + errors.scrub(cause.getMessage()) + ".",
                        "Check the endpoint, DNS, proxy and firewall; the service must answer within "
                                + GcsSettings.VALIDATE_TIMEOUT.toSeconds() + " s.");
            }
            return ValidationResult.failed(ValidationResult.Kind.OTHER,
                    errors.map(e, "listing the bucket", null).getMessage(),
                    "Check the location's settings against the service's message; retry if the service was busy.");
        }
    }
}

package io.kbackup;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The outcome of checking a backup location: empty problems means usable. What a platform's
 * "Validate" button shows.
 */
public final class ValidationResult extends ValueObject {

    /** What kind of problem was found; each says what to fix. */
    public enum Kind {
        /** The bucket or container does not exist. */
        BUCKET_MISSING,
        /** The credentials are valid but lack a permission. */
        ACCESS_DENIED,
        /** The credentials were refused (unknown key, bad signature, expired token). */
        BAD_CREDENTIALS,
        /** The endpoint could not be reached (DNS, connection, TLS, timeout). */
        UNREACHABLE,
        /** The location's own settings are wrong (missing field, bad endpoint URL, unknown key). */
        INVALID_CONFIGURATION,
        /** The location asks for object lock and the bucket does not support it (or would not say). */
        OBJECT_LOCK_UNAVAILABLE,
        /** Anything else the service said. */
        OTHER
    }

    /**
     * One problem.
     *
     * @param kind    what kind
     * @param message what was wrong, including the service's own message where there is one
     * @param fix     what to do about it
     */
    public record Problem(Kind kind, String message, String fix) {
        public Problem {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(fix, "fix");
        }

        @Override
        public String toString() {
            return kind + ": " + message + " (" + fix + ")";
        }
    }

    private static final ValidationResult OK = new ValidationResult(List.of());
    private final List<Problem> problems;

    private ValidationResult(List<Problem> problems) {
        this.problems = List.copyOf(problems);
    }

    /** A result with no problems. */
    public static ValidationResult ok() {
        return OK;
    }

    /** A result with the given problems. */
    public static ValidationResult of(List<Problem> problems) {
        return problems.isEmpty() ? OK : new ValidationResult(problems);
    }

    /** A result with one problem. */
    public static ValidationResult failed(Kind kind, String message, String fix) {
        return new ValidationResult(List.of(new Problem(kind, message, fix)));
    }

    /** Whether there are no problems. */
    public boolean isOk() {
        return problems.isEmpty();
    }

    /** The problems found, in the order found; empty when usable. */
    public List<Problem> problems() {
        return problems;
    }

    /** Whether a problem of this kind was found. */
    public boolean has(Kind kind) {
        return problems.stream().anyMatch(p -> p.kind() == kind);
    }

    @Override
    List<Object> values() {
        return List.of(problems);
    }

    @Override
    public String toString() {
        return isOk() ? "OK" : problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
    }
}

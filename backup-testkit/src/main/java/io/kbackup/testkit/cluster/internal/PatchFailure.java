package io.kbackup.testkit.cluster.internal;

/**
 * A patch the API server would refuse, with the HTTP status and reason it answers with.
 */
public final class PatchFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int code;
  private final String reason;

  PatchFailure(int code, String reason, String message) {
    super(message);
    this.code = code;
    this.reason = reason;
  }

  static PatchFailure badRequest(String message) {
    return new PatchFailure(400, "BadRequest", message);
  }

  static PatchFailure invalid(String message) {
    return new PatchFailure(422, "Invalid", message);
  }

  /** An error the API server passes through unmapped, which reaches the client as a 500. */
  static PatchFailure internal(String message) {
    return new PatchFailure(500, "InternalError", message);
  }

  /** HTTP status code. */
  public int code() {
    return code;
  }

  /** Status reason, e.g. "BadRequest". */
  public String reason() {
    return reason;
  }
}

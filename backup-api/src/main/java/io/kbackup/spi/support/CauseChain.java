package io.kbackup.spi.support;

/**
 * Walks an exception's cause chain, as providers do to map a client library's exception to a
 * {@code StorageException}: the service's own exception wrapped in the library's, or the JDK
 * exception that says the endpoint could not be reached. A cause that is its own cause ends the
 * walk.
 */
public final class CauseChain {

    private CauseChain() {}

    /** The first exception in the chain of {@code e} (itself included) that is a {@code type}, or {@code null}. */
    public static <T extends Throwable> T find(Throwable e, Class<T> type) {
        Throwable t = first(e, type);
        return t == null ? null : type.cast(t);
    }

    /** The first exception in the chain of {@code e} (itself included) that is one of {@code types}, or {@code null}. */
    @SafeVarargs
    public static Throwable first(Throwable e, Class<? extends Throwable>... types) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(t)) {
                    return t;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** The first line of a message ({@code ""} for {@code null}), as a one-line error names a cause. */
    public static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}

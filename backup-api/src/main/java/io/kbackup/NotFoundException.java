package io.kbackup;

/** A named thing (backup, restore, blob, bucket) does not exist. Carries the name. Not retryable. */
public class NotFoundException extends KBackupException {
    private static final long serialVersionUID = 1L;
    private final String name;

    public NotFoundException(String name, String message) {
        super(message, false);
        this.name = name;
    }

    /** The name that was looked for, as given. */
    public String name() {
        return name;
    }
}

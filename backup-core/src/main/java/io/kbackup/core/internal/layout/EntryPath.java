package io.kbackup.core.internal.layout;

/**
 * The meaning of one archive entry name (FORMAT.md section 2), after the safety checks: relative,
 * {@code /}-separated, no {@code .} or {@code ..} segment, no empty segment, no backslash or NUL,
 * and under {@code metadata/} or {@code resources/}.
 *
 * @param kind          what the entry is
 * @param groupResource the group-resource folder ({@code deployments.apps}), or null for metadata
 * @param namespace     the namespace folder, or null when cluster-scoped or metadata
 * @param name          the item name (file name without {@code .json}), or null for metadata
 */
public record EntryPath(Kind kind, String groupResource, String namespace, String name) {

    public enum Kind {
        /** {@code metadata/...}, e.g. {@code metadata/version}. */
        METADATA,
        /** The classic path the restore reads: {@code resources/<gr>/namespaces/<ns>/<name>.json} or {@code resources/<gr>/cluster/<name>.json}. */
        CLASSIC,
        /** A copy at a version folder: {@code resources/<gr>/<version>[-preferredversion]/(namespaces/<ns>|cluster)/<name>.json}. */
        VERSIONED
    }

    /** An entry name that must not be in a backup; the message says why. */
    public static final class InvalidEntryException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidEntryException(String message) {
            super(message);
        }
    }

    public boolean namespaced() {
        return namespace != null;
    }

    /**
     * Checks and parses an entry name.
     *
     * @throws InvalidEntryException when the name is unsafe or not part of the layout
     */
    public static EntryPath parse(String entry) throws InvalidEntryException {
        if (entry.isEmpty()) {
            throw new InvalidEntryException("an entry has an empty name");
        }
        if (entry.indexOf('\0') >= 0 || entry.indexOf('\\') >= 0) {
            throw new InvalidEntryException("entry '" + printable(entry) + "' has a NUL or backslash in its name");
        }
        if (entry.startsWith("/")) {
            throw new InvalidEntryException("entry '" + printable(entry) + "' has an absolute path");
        }
        String[] seg = entry.split("/", -1);
        for (String s : seg) {
            if (s.equals("..") || s.equals(".")) {
                throw new InvalidEntryException("entry '" + printable(entry) + "' has a '" + s + "' path segment");
            }
            if (s.isEmpty()) {
                throw new InvalidEntryException("entry '" + printable(entry) + "' has an empty path segment");
            }
        }
        if (seg[0].equals("metadata") && seg.length >= 2) {
            return new EntryPath(Kind.METADATA, null, null, null);
        }
        if (!seg[0].equals("resources")) {
            throw new InvalidEntryException("entry '" + printable(entry) + "' is outside metadata/ and resources/");
        }
        String gr = seg.length > 1 ? seg[1] : null;
        if (seg.length == 4 && seg[2].equals("cluster")) {
            return new EntryPath(Kind.CLASSIC, gr, null, itemName(entry, seg[3]));
        }
        if (seg.length == 5 && seg[2].equals("namespaces")) {
            return new EntryPath(Kind.CLASSIC, gr, seg[3], itemName(entry, seg[4]));
        }
        if (seg.length == 5 && seg[3].equals("cluster")) {
            return new EntryPath(Kind.VERSIONED, gr, null, itemName(entry, seg[4]));
        }
        if (seg.length == 6 && seg[3].equals("namespaces")) {
            return new EntryPath(Kind.VERSIONED, gr, seg[4], itemName(entry, seg[5]));
        }
        throw new InvalidEntryException("entry '" + printable(entry) + "' is not at a resource path of Velero's layout"
                + " (resources/<group-resource>/namespaces/<namespace>/<name>.json or resources/<group-resource>/cluster/<name>.json)");
    }

    private static String itemName(String entry, String file) throws InvalidEntryException {
        if (!file.endsWith(".json") || file.length() == ".json".length()) {
            throw new InvalidEntryException("entry '" + printable(entry) + "' is not a <name>.json item file");
        }
        return file.substring(0, file.length() - ".json".length());
    }

    /** The name, shortened and without control characters, for messages. */
    public static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return s.length() > 200 ? b + "..." : b.toString();
    }
}

package io.kbackup.core.internal.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.kbackup.BackupLocation;
import io.kbackup.CorruptBackupException;
import io.kbackup.InvalidPlanException;
import io.kbackup.NotFoundException;
import io.kbackup.ResourceEntry;
import io.kbackup.ResultMessage;
import io.kbackup.StorageException;
import io.kbackup.core.internal.layout.BucketLayout;
import io.kbackup.core.internal.layout.GzipJson;
import io.kbackup.core.internal.trust.SealedBackup;
import io.kbackup.core.internal.trust.Trust;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviders;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Streams the files Velero keeps beside a backup or restore (log, results, resource list) to the
 * caller, one line, message or item at a time, without holding a whole file: gzip is read as a
 * stream and the JSON with Jackson's streaming parser. Works on files either engine or Velero
 * wrote. Each call opens and closes the location. Thread-safe.
 */
public final class OperationFiles {
    /** Kubernetes object names: what a backup or restore name can be (also keeps keys inside their folder). */
    static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private final StorageProviders providers;
    private final Trust trust;

    public OperationFiles(StorageProviders providers) {
        this(providers, Trust.defaults());
    }

    /** @param trust decrypts the files of encrypted backups */
    public OperationFiles(StorageProviders providers, Trust trust) {
        this.providers = providers;
        this.trust = trust;
    }

    public void backupLog(BackupLocation location, String backup, Consumer<String> line) {
        read(location, backup, "backup", BucketLayout::logs, "log", in -> lines(in, line));
    }

    public void backupResults(BackupLocation location, String backup, Consumer<ResultMessage> message) {
        read(location, backup, "backup", BucketLayout::results, "results", in -> results(in, message));
    }

    public void backupResources(BackupLocation location, String backup, Consumer<ResourceEntry> item) {
        read(location, backup, "backup", BucketLayout::resourceList, "resource list", in -> resources(in, false, item));
    }

    public void restoreLog(BackupLocation location, String restore, Consumer<String> line) {
        read(location, restore, "restore", BucketLayout::restoreLogs, "log", in -> lines(in, line));
    }

    public void restoreResults(BackupLocation location, String restore, Consumer<ResultMessage> message) {
        read(location, restore, "restore", BucketLayout::restoreResults, "results", in -> results(in, message));
    }

    public void restoreResources(BackupLocation location, String restore, Consumer<ResourceEntry> item) {
        read(location, restore, "restore", BucketLayout::restoreResourceList, "resource list", in -> resources(in, true, item));
    }

    /** Refuses what is not a Kubernetes object name (so a key can never leave its folder). */
    static void checkName(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidPlanException("'" + name + "' is not a " + what + " name: " + what + " names are lower-case letters,"
                    + " digits, '-' and '.', starting and ending with a letter or digit.");
        }
    }

    private interface Body {
        void read(InputStream in) throws IOException;
    }

    private interface KeyOf {
        String key(BucketLayout layout, String name);
    }

    private void read(BackupLocation location, String name, String what, KeyOf keyOf, String file, Body body) {
        checkName(name, what);
        String key = keyOf.key(new BucketLayout(location), name);
        try (StorageProvider storage = providers.open(location)) {
            if (!storage.exists(key)) {
                throw new NotFoundException(name, "The " + what + " '" + name + "' has no " + file + " in location '" + location.name()
                        + "' (no " + key + "): there is no such " + what + ", it is still running, or it ended before writing one.");
            }
            InputStream stored = storage.get(key);
            if (what.equals("backup") && storage.exists(new BucketLayout(location).manifest(name))) {
                try {
                    stored = SealedBackup.read(storage, new BucketLayout(location), name, false, trust).plain(stored, key);
                } catch (RuntimeException e) {
                    closeQuietly(stored);
                    throw e;
                }
            }
            try (InputStream in = new GZIPInputStream(stored, 64 * 1024)) {
                body.read(in);
            } catch (com.fasterxml.jackson.core.JsonProcessingException | java.util.zip.ZipException e) {
                throw new CorruptBackupException(name, "The " + file + " of " + what + " '" + name + "' (" + key
                        + ") is damaged: " + e.getMessage() + ".", e);
            } catch (IOException e) {
                if (e instanceof SealedBackup.DecryptFailedException) {
                    throw new CorruptBackupException(name, "The " + file + " of " + what + " '" + name + "': " + e.getMessage() + ".", e);
                }
                throw new StorageException("Could not read " + key + " from location '" + location.name() + "': " + e.getMessage(), e, true);
            }
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    private static void lines(InputStream in, Consumer<String> line) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String l = r.readLine(); l != null; l = r.readLine()) {
            line.accept(l);
        }
    }

    /** {@code {"errors":R,"warnings":R}}, {@code R = {"velero":[..],"cluster":[..],"namespaces":{"ns":[..]}}}; other keys skipped. */
    static void results(InputStream in, Consumer<ResultMessage> out) throws IOException {
        try (JsonParser p = GzipJson.MAPPER.getFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return; // null or empty: nothing to say
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String part = p.currentName();
                p.nextToken();
                ResultMessage.Severity severity = switch (part) {
                    case "errors" -> ResultMessage.Severity.ERROR;
                    case "warnings" -> ResultMessage.Severity.WARNING;
                    default -> null;
                };
                if (severity == null || p.currentToken() != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String scope = p.currentName();
                    p.nextToken();
                    switch (scope) {
                        case "velero" -> strings(p, m -> out.accept(new ResultMessage(severity, ResultMessage.Scope.VELERO, null, m)));
                        case "cluster" -> strings(p, m -> out.accept(new ResultMessage(severity, ResultMessage.Scope.CLUSTER, null, m)));
                        case "namespaces" -> {
                            if (p.currentToken() != JsonToken.START_OBJECT) {
                                p.skipChildren();
                                break;
                            }
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String ns = p.currentName();
                                p.nextToken();
                                strings(p, m -> out.accept(new ResultMessage(severity, ResultMessage.Scope.NAMESPACE, ns, m)));
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
            }
        }
    }

    /**
     * {@code {"<groupVersion>/<Kind>": ["ns/name", "name", ...]}}; a restore's entries end in
     * {@code (outcome)}.
     */
    static void resources(InputStream in, boolean restore, Consumer<ResourceEntry> out) throws IOException {
        try (JsonParser p = GzipJson.MAPPER.getFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String type = p.currentName();
                p.nextToken();
                int slash = type.lastIndexOf('/');
                String apiVersion = slash > 0 ? type.substring(0, slash) : "";
                String kind = type.substring(slash + 1);
                strings(p, entry -> out.accept(entry(apiVersion, kind, entry, restore)));
            }
        }
    }

    private static ResourceEntry entry(String apiVersion, String kind, String entry, boolean restore) {
        String outcome = null;
        if (restore && entry.endsWith(")")) {
            int open = entry.lastIndexOf('(');
            if (open >= 0) {
                outcome = entry.substring(open + 1, entry.length() - 1);
                entry = entry.substring(0, open);
            }
        }
        int slash = entry.indexOf('/');
        return slash < 0 ? new ResourceEntry(apiVersion, kind, null, entry, outcome)
                : new ResourceEntry(apiVersion, kind, entry.substring(0, slash), entry.substring(slash + 1), outcome);
    }

    /** The strings of the array at the current token (anything else is skipped). */
    private static void strings(JsonParser p, Consumer<String> out) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY && t != null; t = p.nextToken()) {
            if (t == JsonToken.VALUE_STRING) {
                out.accept(p.getText());
            } else {
                p.skipChildren();
            }
        }
    }
}

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
import io.kbackup.core.internal.ApiBoundary;
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
import java.util.Objects;
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

    /** A backup's log ({@code BackupClient.backupLog}). */
    public static final File<String> BACKUP_LOG = new File<>("backupLog", "backup", BucketLayout::logs, "log", OperationFiles::lines);
    /** A backup's results ({@code BackupClient.backupResults}). */
    public static final File<ResultMessage> BACKUP_RESULTS = new File<>("backupResults", "backup", BucketLayout::results, "results",
            OperationFiles::results);
    /** A backup's resource list ({@code BackupClient.backupResources}). */
    public static final File<ResourceEntry> BACKUP_RESOURCES = new File<>("backupResources", "backup", BucketLayout::resourceList,
            "resource list", (in, item) -> resources(in, false, item));
    /** A restore's log ({@code BackupClient.restoreLog}). */
    public static final File<String> RESTORE_LOG = new File<>("restoreLog", "restore", BucketLayout::restoreLogs, "log",
            OperationFiles::lines);
    /** A restore's results ({@code BackupClient.restoreResults}). */
    public static final File<ResultMessage> RESTORE_RESULTS = new File<>("restoreResults", "restore", BucketLayout::restoreResults,
            "results", OperationFiles::results);
    /** A restore's resource list ({@code BackupClient.restoreResources}). */
    public static final File<ResourceEntry> RESTORE_RESOURCES = new File<>("restoreResources", "restore",
            BucketLayout::restoreResourceList, "resource list", (in, item) -> resources(in, true, item));

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

    /**
     * Streams one file of the backup or restore {@code name} to {@code sink}: an API boundary
     * (arguments checked, failures as {@code KBackupException}s).
     */
    public <T> void read(File<T> file, BackupLocation location, String name, Consumer<T> sink) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sink, "consumer");
        ApiBoundary.run(file.operation(), () -> read(location, name, file, in -> file.parser().read(in, sink)));
    }

    /** Refuses what is not a Kubernetes object name (so a key can never leave its folder). */
    static void checkName(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidPlanException("'" + name + "' is not a " + what + " name: " + what + " names are lower-case letters,"
                    + " digits, '-' and '.', starting and ending with a letter or digit.");
        }
    }

    /**
     * One of the files beside a backup or restore: the API call that reads it ({@code operation}),
     * whose it is ({@code what}: "backup" or "restore"), its key, its name in messages, and how its
     * content is streamed.
     */
    public record File<T>(String operation, String what, KeyOf keyOf, String file, Parser<T> parser) {}

    private interface Body {
        void read(InputStream in) throws IOException;
    }

    /** The key of a backup's or restore's file. */
    public interface KeyOf {
        String key(BucketLayout layout, String name);
    }

    /** Streams a file's (gunzipped) content to a sink, one line, message or item at a time. */
    public interface Parser<T> {
        void read(InputStream in, Consumer<T> sink) throws IOException;
    }

    private void read(BackupLocation location, String name, File<?> of, Body body) {
        String what = of.what();
        String file = of.file();
        checkName(name, what);
        String key = of.keyOf().key(new BucketLayout(location), name);
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

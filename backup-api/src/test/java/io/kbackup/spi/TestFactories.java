package io.kbackup.spi;

import io.kbackup.BackupLocation;
import io.kbackup.ValidationResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** Factories registered only through the test class loaders built by {@link #loaderWith}. */
public final class TestFactories {

    private TestFactories() {}

    /** A class loader whose {@code META-INF/services} file lists {@code factories}, on top of the test class path. */
    static ClassLoader loaderWith(Path dir, Class<?>... factories) {
        try {
            Path services = Files.createDirectories(dir.resolve("META-INF/services"));
            List<String> lines = new ArrayList<>();
            for (Class<?> f : factories) {
                lines.add(f.getName());
            }
            Files.write(services.resolve(StorageProviderFactory.class.getName()), lines);
            return new URLClassLoader(new URL[] {dir.toUri().toURL()}, TestFactories.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A factory with a fixed id and config keys that records the locations it was asked for. */
    public abstract static class Recording implements StorageProviderFactory {
        final List<BackupLocation> created = new CopyOnWriteArrayList<>();
        private final String id;
        private final Set<String> keys;

        Recording(String id, Set<String> keys) {
            this.id = id;
            this.keys = keys;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Set<String> configKeys() {
            return keys;
        }

        @Override
        public StorageProvider create(BackupLocation location) {
            created.add(location);
            return new NamedProvider(id, getClass().getSimpleName());
        }
    }

    public static final class Alpha extends Recording {
        public Alpha() {
            super("alpha", Set.of("endpointStyle", "tier"));
        }
    }

    public static final class Beta extends Recording {
        public Beta() {
            super("beta", Set.of());
        }
    }

    public static final class DupOne extends Recording {
        public DupOne() {
            super("dup", Set.of());
        }
    }

    public static final class DupTwo extends Recording {
        public DupTwo() {
            super("dup", Set.of());
        }
    }

    /** An explicit stand-in for {@code beta}. */
    public static final class ExplicitBeta extends Recording {
        public ExplicitBeta() {
            super("beta", Set.of("only-explicit"));
        }
    }

    /** An explicit stand-in for {@code dup}. */
    public static final class ExplicitDup extends Recording {
        public ExplicitDup() {
            super("dup", Set.of());
        }
    }

    /** A provider that only says who made it; every storage call is unsupported. */
    static final class NamedProvider implements StorageProvider {
        final String id;
        final String madeBy;

        NamedProvider(String id, String madeBy) {
            this.id = id;
            this.madeBy = madeBy;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public BlobWriter openWriter(String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InputStream get(String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InputStream get(String key, long offset, long length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<BlobInfo> head(String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ListPage list(String prefix, String delimiter, String continuationToken, int pageSize) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ValidationResult validate() {
            return ValidationResult.failed(ValidationResult.Kind.OTHER, "made by " + madeBy, "nothing to fix");
        }
    }
}

package io.kbackup.testkit.storage;

import io.kbackup.BackupLocation;
import io.kbackup.spi.StorageProvider;
import io.kbackup.spi.StorageProviderFactory;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A storage provider factory that makes what another factory makes, under the same id (so the
 * locations stay as they are), and wraps each provider it opens: with a
 * {@link FaultInjectingStorageProvider}, a gate that holds writes until the test opens it, or
 * streams that break part-way.
 *
 * <pre>{@code
 * StorageProviders providers = StorageProviders.discover().with(WrappedStorageFactory.of(
 *         new LocalFolderStorageFactory(), p -> FaultInjectingStorageProvider.wrap(p).failCommits(k -> true)));
 * }</pre>
 */
public final class WrappedStorageFactory implements StorageProviderFactory {
    private final StorageProviderFactory base;
    private final UnaryOperator<StorageProvider> wrap;

    private WrappedStorageFactory(StorageProviderFactory base, UnaryOperator<StorageProvider> wrap) {
        this.base = Objects.requireNonNull(base, "base");
        this.wrap = Objects.requireNonNull(wrap, "wrap");
    }

    /** {@code base}'s providers, each passed through {@code wrap} when it is opened. */
    public static WrappedStorageFactory of(StorageProviderFactory base, UnaryOperator<StorageProvider> wrap) {
        return new WrappedStorageFactory(base, wrap);
    }

    @Override
    public String id() {
        return base.id();
    }

    @Override
    public Set<String> configKeys() {
        return base.configKeys();
    }

    @Override
    public StorageProvider create(BackupLocation location) {
        return wrap.apply(base.create(location));
    }

    /**
     * A wrap under which storing a key {@code keys} names (by {@code put} or {@code openWriter})
     * counts {@code reached} down and then waits until the test counts {@code gate} down, at most
     * {@code wait}: the operation stays running for as long as the test needs.
     */
    public static UnaryOperator<StorageProvider> gateWrites(Predicate<String> keys, CountDownLatch reached, CountDownLatch gate,
            Duration wait) {
        return real -> intercept(real, (method, args) -> {
            if ((method.equals("put") || method.equals("openWriter")) && keys.test((String) args[0])) {
                reached.countDown();
                try {
                    if (!gate.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new IllegalStateException("test gate never opened within " + wait);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted at the test gate", e);
                }
            }
        }, null);
    }

    /** A wrap under which each whole-object {@code get(key)} returns what {@code streams} makes of the real stream. */
    public static UnaryOperator<StorageProvider> mapGets(BiFunction<String, InputStream, InputStream> streams) {
        return real -> intercept(real, (method, args) -> { }, (method, args, result) ->
                method.equals("get") && args.length == 1 ? streams.apply((String) args[0], (InputStream) result) : result);
    }

    private interface After {
        Object map(String method, Object[] args, Object result);
    }

    private static StorageProvider intercept(StorageProvider real, BiConsumer<String, Object[]> before, After after) {
        return (StorageProvider) Proxy.newProxyInstance(WrappedStorageFactory.class.getClassLoader(),
                new Class<?>[] {StorageProvider.class}, (proxy, method, args) -> {
                    Object[] a = args == null ? new Object[0] : args;
                    before.accept(method.getName(), a);
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    return after == null ? result : after.map(method.getName(), a, result);
                });
    }
}

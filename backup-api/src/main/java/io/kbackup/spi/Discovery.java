package io.kbackup.spi;

import io.kbackup.InvalidPlanException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What {@link StorageProviders} and {@link KeyProviders} share: services found by id, the ones
 * passed explicitly first (an instance passed explicitly always wins), then those on the class path
 * through {@link ServiceLoader}; two discovered services with one id fail loudly. Immutable and
 * thread-safe.
 *
 * @param <T> the service type
 */
final class Discovery<T> {
    private final Class<T> type;
    private final Function<T, String> id;
    /** How messages name one service, e.g. {@code "storage provider"}. */
    private final String kind;
    private final Map<String, T> explicit;
    private final ClassLoader classLoader;

    private Discovery(Class<T> type, Function<T, String> id, String kind, Map<String, T> explicit, ClassLoader classLoader) {
        this.type = type;
        this.id = id;
        this.kind = kind;
        this.explicit = explicit;
        this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
    }

    /** Discovery of {@code type} through {@code classLoader}, or the thread context class loader (else the API's) when null. */
    static <T> Discovery<T> of(Class<T> type, Function<T, String> id, String kind, ClassLoader classLoader) {
        ClassLoader cl = classLoader != null ? classLoader : Thread.currentThread().getContextClassLoader();
        return new Discovery<>(type, id, kind, Map.of(), cl != null ? cl : Discovery.class.getClassLoader());
    }

    /** A copy that uses {@code service} for its id, ahead of anything discovered. */
    Discovery<T> with(T service) {
        Map<String, T> copy = new LinkedHashMap<>(explicit);
        copy.put(id.apply(service), service);
        return new Discovery<>(type, id, kind, Collections.unmodifiableMap(copy), classLoader);
    }

    /**
     * The service for {@code serviceId}, or null when none is installed.
     *
     * @param use how to pass the one to use, for the message on two with one id
     * @throws InvalidPlanException when two discovered services share the id
     */
    T find(String serviceId, String use) {
        Objects.requireNonNull(serviceId, "id");
        T explicitOne = explicit.get(serviceId);
        if (explicitOne != null) {
            return explicitOne;
        }
        List<T> found = load().stream().filter(s -> id.apply(s).equals(serviceId)).toList();
        if (found.size() > 1) {
            List<String> classes = found.stream().map(s -> s.getClass().getName()).toList();
            throw new InvalidPlanException("Two " + kind + "s claim the id '" + serviceId + "': " + classes
                    + ". Remove one of them from the class path, or pass the one to use explicitly with " + use + ".");
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /** Every id available: explicit and discovered, sorted. */
    Set<String> installedIds() {
        Set<String> ids = new TreeSet<>(explicit.keySet());
        load().forEach(s -> ids.add(id.apply(s)));
        return ids;
    }

    /** The ids passed explicitly. */
    Set<String> explicitIds() {
        return explicit.keySet();
    }

    /** Equal when both discover the same type through the same class loader and hold the same explicit services. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Discovery<?> other && type.equals(other.type) && classLoader.equals(other.classLoader)
                && explicit.equals(other.explicit);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, classLoader, explicit);
    }

    @Override
    public String toString() {
        return "explicit=" + explicit.keySet() + ", classLoader=" + classLoader;
    }

    private List<T> load() {
        List<T> out = new ArrayList<>();
        var it = ServiceLoader.load(type, classLoader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return out;
                }
                out.add(it.next());
            } catch (java.util.ServiceConfigurationError e) {
                throw new InvalidPlanException("A " + kind + " on the class path is broken: " + e.getMessage()
                        + ". Check the META-INF/services/" + type.getName() + " entries of the kbackup artifacts and that"
                        + " their versions match.", e);
            }
        }
    }
}

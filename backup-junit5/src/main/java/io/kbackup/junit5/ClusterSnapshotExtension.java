package io.kbackup.junit5;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kbackup.BackupLocation;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import io.kbackup.RestorePlan;
import io.kbackup.spi.BlobWriter;
import io.kbackup.testkit.cluster.EmbeddedCluster;
import io.kbackup.testkit.cluster.EmbeddedClusterExtension;
import io.kbackup.testkit.cluster.RealCluster;
import io.kbackup.testkit.cluster.RealClusterExtension;
import io.kbackup.testkit.cluster.TestCluster;
import io.kbackup.testkit.storage.InMemoryStorageProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link ClusterSnapshot} and {@link RestoreBackup} (registered by
 * them; no need to name it). Keeps one {@link ClusterSnapshots} per test class (and one per
 * annotated method) in JUnit's store, so parallel classes share nothing.
 */
public final class ClusterSnapshotExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(ClusterSnapshotExtension.class);
    private static final String CLASS_STATE = "class";
    private static final String METHOD_STATE = "method";

    /** For {@code @ExtendWith}. */
    public ClusterSnapshotExtension() {}

    /** What a class keeps: its cluster (when started here), its snapshots and the snapshot taken before it. */
    @SuppressWarnings("deprecation") // CloseableResource for JUnit versions before 5.13
    private static final class State implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final ClusterSnapshots snapshots;
        final TestCluster cluster;
        final AutoCloseable owned;
        ClusterSnapshots.Snapshot before;
        ClusterSnapshots.Snapshot beforeEach;
        /** Set while a test of the class runs: a class snapshot cannot serve two tests at once. */
        final java.util.concurrent.atomic.AtomicBoolean inTest = new java.util.concurrent.atomic.AtomicBoolean();

        State(ClusterSnapshots snapshots, TestCluster cluster, AutoCloseable owned) {
            this.snapshots = snapshots;
            this.cluster = cluster;
            this.owned = owned;
        }

        @Override
        public void close() throws Exception {
            try {
                if (snapshots != null) {
                    snapshots.close();
                }
            } finally {
                if (owned != null) {
                    owned.close();
                }
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        Optional<ClusterSnapshot> snapshot = AnnotationSupport.findAnnotation(testClass, ClusterSnapshot.class);
        Optional<RestoreBackup> golden = AnnotationSupport.findAnnotation(testClass, RestoreBackup.class);
        if (snapshot.isEmpty() && golden.isEmpty()) {
            return;
        }
        ClusterSnapshot a = snapshot.orElse(null);
        State state = classState(context, a);
        if (a != null) {
            state.before = state.snapshots.take();
        }
        golden.ifPresent(g -> load(g, testClass, state.snapshots));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Optional<ClusterSnapshot> onMethod = AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), ClusterSnapshot.class);
        if (onMethod.isPresent()) {
            ClusterSnapshot a = onMethod.get();
            State classState = context.getParent().map(p -> p.getStore(STORE).get(CLASS_STATE, State.class)).orElse(null);
            State state;
            if (a.cluster() == SnapshotCluster.AUTO && classState != null) {
                state = new State(new ClusterSnapshots(classState.snapshots.client(), ClusterSnapshots.Selection.of(a)), null, null);
            } else {
                state = newState(context, a);
            }
            context.getStore(STORE).put(METHOD_STATE, state);
            state.before = state.snapshots.take();
            return;
        }
        State state = classStateOf(context);
        if (state != null && state.before != null && eachTest(context)) {
            if (!state.inTest.compareAndSet(false, true)) {
                throw new ExtensionConfigurationException("@ClusterSnapshot on class " + context.getRequiredTestClass().getName()
                        + ": its tests run at the same time, and each would reset the other's changes. Run the class's tests one"
                        + " at a time (no @Execution(CONCURRENT) on it); separate classes on separate namespaces may run in parallel.");
            }
            if (state.beforeEach == null) {
                state.beforeEach = state.snapshots.take(); // after @BeforeAll: their fixtures stay for every test
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        State method = context.getStore(STORE).get(METHOD_STATE, State.class);
        if (method != null) {
            check(method.snapshots.reset(method.before), "test " + context.getDisplayName());
            return;
        }
        State state = classStateOf(context);
        if (state != null) {
            try {
                if (state.beforeEach != null) {
                    check(state.snapshots.reset(state.beforeEach), "test " + context.getDisplayName());
                }
            } finally {
                state.inTest.set(false);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        State state = context.getStore(STORE).get(CLASS_STATE, State.class);
        if (state != null && state.before != null) {
            check(state.snapshots.reset(state.before), "test class " + context.getDisplayName());
        }
    }

    private static void check(List<String> leftovers, String what) {
        if (!leftovers.isEmpty()) {
            throw new ClusterNotResetException(what, leftovers);
        }
    }

    private static boolean eachTest(ExtensionContext context) {
        return AnnotationSupport.findAnnotation(context.getRequiredTestClass(), ClusterSnapshot.class).map(ClusterSnapshot::eachTest)
                .orElse(false);
    }

    private static State classStateOf(ExtensionContext context) {
        return context.getStore(STORE).get(CLASS_STATE, State.class); // the store finds the class's from a method's context
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type != KubernetesClient.class && !TestCluster.class.isAssignableFrom(type)) {
            return false;
        }
        SnapshotCluster cluster = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), ClusterSnapshot.class)
                .map(ClusterSnapshot::cluster).orElse(SnapshotCluster.AUTO);
        return cluster == SnapshotCluster.EMBEDDED || cluster == SnapshotCluster.REAL;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        State state = classStateOf(context);
        if (state == null || state.cluster == null) {
            throw new ParameterResolutionException("@ClusterSnapshot has started no cluster for " + context.getRequiredTestClass());
        }
        Class<?> type = parameter.getParameter().getType();
        if (type == KubernetesClient.class) {
            return state.snapshots.client();
        }
        if (type.isInstance(state.cluster)) {
            return state.cluster;
        }
        throw new ParameterResolutionException("@ClusterSnapshot started a " + state.cluster.getClass().getSimpleName()
                + ", not a " + type.getSimpleName());
    }

    /** The class's state, kept (and closed) with the class (the golden loader alone makes one without a snapshot selection). */
    private static State classState(ExtensionContext context, ClusterSnapshot a) {
        State state = newState(context, a);
        context.getStore(STORE).put(CLASS_STATE, state);
        return state;
    }

    private static State newState(ExtensionContext context, ClusterSnapshot a) {
        SnapshotCluster source = a == null ? SnapshotCluster.AUTO : a.cluster();
        ClusterSnapshots.Selection selection = a == null
                ? new ClusterSnapshots.Selection(List.of(), Map.of(), io.kbackup.ClusterWideMode.AUTO, List.of(), Duration.ofSeconds(30))
                : ClusterSnapshots.Selection.of(a);
        switch (source) {
            case EMBEDDED, REAL -> {
                TestCluster cluster = source == SnapshotCluster.EMBEDDED ? EmbeddedCluster.start() : RealCluster.start();
                KubernetesClient client = cluster.client();
                return new State(new ClusterSnapshots(client, selection), cluster, () -> {
                    try {
                        client.close();
                    } finally {
                        cluster.close();
                    }
                });
            }
            case KUBECONFIG -> {
                String ctx = a == null || a.context().isEmpty() ? null : a.context();
                KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.autoConfigure(ctx)).build();
                return new State(new ClusterSnapshots(client, selection), null, client);
            }
            default -> {
                Found found = find(context);
                return new State(new ClusterSnapshots(found.client, selection), null, found.owned);
            }
        }
    }

    /** A client found for {@link SnapshotCluster#AUTO}, and what to close with the class (a client made from a TestCluster field). */
    private record Found(KubernetesClient client, AutoCloseable owned) {}

    private static Found find(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        Object instance = context.getTestInstance().orElse(null);
        List<Field> fields = AnnotationSupport.findAnnotatedFields(testClass, SnapshotClient.class);
        if (fields.isEmpty()) {
            fields = new ArrayList<>();
            for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (f.getType() == KubernetesClient.class || TestCluster.class.isAssignableFrom(f.getType())) {
                        fields.add(f);
                    }
                }
            }
        }
        if (fields.size() > 1) {
            throw new ExtensionConfigurationException("@ClusterSnapshot: " + testClass.getName() + " has " + fields.size()
                    + " cluster fields " + fields.stream().map(Field::getName).toList() + "; mark the one to use with @SnapshotClient.");
        }
        if (fields.size() == 1) {
            Field f = fields.get(0);
            boolean isStatic = Modifier.isStatic(f.getModifiers());
            if (!isStatic && instance == null) {
                throw new ExtensionConfigurationException("@ClusterSnapshot on class " + testClass.getName() + " reads its cluster"
                        + " before all tests, when there is no test instance: make field '" + f.getName() + "' static (or put"
                        + " @ClusterSnapshot on the test methods).");
            }
            Object value;
            try {
                f.setAccessible(true);
                value = f.get(isStatic ? null : instance);
            } catch (IllegalAccessException e) {
                throw new ExtensionConfigurationException("@ClusterSnapshot cannot read field '" + f.getName() + "': " + e.getMessage(), e);
            }
            if (value == null) {
                throw new ExtensionConfigurationException("@ClusterSnapshot: field '" + f.getName() + "' of " + testClass.getName()
                        + " is null when the snapshot is taken (before @BeforeAll methods for a class snapshot, before"
                        + " @BeforeEach methods for a method's): initialise it where it is declared, or use"
                        + " @ClusterSnapshot(cluster = EMBEDDED/REAL/KUBECONFIG).");
            }
            if (value instanceof KubernetesClient client) {
                return new Found(client, null);
            }
            KubernetesClient client = ((TestCluster) value).client();
            return new Found(client, client);
        }
        Optional<KubernetesClient> shared = EmbeddedClusterExtension.sharedClient(context).or(() -> RealClusterExtension.sharedClient(context));
        if (shared.isPresent()) {
            return new Found(shared.get(), null);
        }
        throw new ExtensionConfigurationException("@ClusterSnapshot found no cluster for " + testClass.getName() + ": give it one with"
                + " cluster = EMBEDDED, REAL or KUBECONFIG, a (static) KubernetesClient or TestCluster field, or register the test"
                + " kit's EmbeddedClusterExtension or RealClusterExtension before @ClusterSnapshot.");
    }

    /** {@link RestoreBackup}: the golden backup restored (a reset of its namespaces when it names them). */
    private static void load(RestoreBackup g, Class<?> testClass, ClusterSnapshots snapshots) {
        boolean hasFolder = !g.folder().isEmpty();
        boolean hasLocation = g.location() != RestoreBackup.NoLocation.class;
        if (hasFolder == hasLocation) {
            throw new ExtensionConfigurationException("@RestoreBackup on " + testClass.getName() + ": give folder or location, one of them.");
        }
        String goldenBucket = null;
        BackupLocation location;
        if (hasFolder) {
            goldenBucket = "kbackup-golden-" + UUID.randomUUID();
            copyFolder(testClass, g.folder(), goldenBucket);
            location = BackupLocation.builder().name("golden").provider(InMemoryStorageProvider.ID).bucket(goldenBucket).build();
        } else {
            try {
                var ctor = g.location().getDeclaredConstructor();
                ctor.setAccessible(true);
                location = ctor.newInstance().get();
            } catch (ReflectiveOperationException e) {
                throw new ExtensionConfigurationException("@RestoreBackup: cannot make the location with " + g.location().getName()
                        + " (it needs a no-argument constructor): " + e, e);
            }
        }
        try {
            Map<String, String> mapping = ClusterSnapshots.pairs(g.namespaceMapping(), "@RestoreBackup namespaceMapping", "from=to");
            RestorePlan.Builder plan = RestorePlan.builder().location(location).backupName(g.backup())
                    .includedNamespaces(g.namespaces()).namespaceMapping(mapping)
                    .existingResourcePolicy(io.kbackup.ExistingResourcePolicy.UPDATE);
            if (g.namespaces().length > 0) {
                plan.reset();
            }
            RestoreInfo info = snapshots.kbackup().restore(plan.build()).await(Duration.ofSeconds(g.timeoutSeconds()));
            if (info.phase() != RestorePhase.COMPLETED) {
                throw new IllegalStateException("@RestoreBackup could not load backup '" + g.backup() + "' into the cluster: the restore"
                        + " ended " + info.phase() + (info.failureReason() == null ? "" : " (" + info.failureReason() + ")")
                        + "; errors: " + info.errors());
            }
        } finally {
            if (goldenBucket != null) {
                InMemoryStorageProvider.deleteBucket(goldenBucket);
            }
        }
    }

    /** Copies a class-path folder (a directory, or inside a jar) into an in-memory bucket, key by relative path. */
    private static void copyFolder(Class<?> testClass, String folder, String bucket) {
        String resource = folder.startsWith("/") ? folder : "/" + folder;
        URL url = testClass.getResource(resource);
        if (url == null) {
            throw new ExtensionConfigurationException("@RestoreBackup: no folder '" + folder + "' on the test class path (put it under"
                    + " src/test/resources/" + resource.substring(1) + ").");
        }
        InMemoryStorageProvider storage = InMemoryStorageProvider.create(bucket);
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
                    copyTree(fs.getPath(resource), storage);
                }
            } else {
                copyTree(Path.of(uri), storage);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("@RestoreBackup: could not read folder '" + folder + "': " + e.getMessage(), e);
        } catch (URISyntaxException e) {
            throw new ExtensionConfigurationException("@RestoreBackup: folder '" + folder + "' has no usable location: " + url, e);
        }
    }

    private static void copyTree(Path root, InMemoryStorageProvider storage) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String key = root.relativize(file).toString().replace('\\', '/');
                try (InputStream in = Files.newInputStream(file); BlobWriter w = storage.openWriter(key)) {
                    in.transferTo(w);
                    w.commit();
                }
            }
        }
    }
}

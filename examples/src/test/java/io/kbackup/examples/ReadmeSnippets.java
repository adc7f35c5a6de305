package io.kbackup.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * The {@code ```java} blocks of the project's README.md, compiled and run as they stand in the
 * file (so an edit of the README that breaks one fails the build).
 *
 * <p>Each block becomes the body of a method of a generated class whose fields are the
 * {@linkplain Fixture fixture}: the variables the README leaves to the reader ({@code k8s},
 * {@code location}, {@code podName}, {@code log}, ...). Two declarations in the README are swapped
 * for the fixture's value while their own initialiser is still compiled and handed to the test
 * (see {@link #STAND_INS}): {@code KubernetesClient k8s = ...} (the README's client would reach a
 * real cluster) and {@code BackupLocation location = ...} (the README's S3 bucket). Every variable a
 * block declares at its top level is handed back after the run, so the test can check and close it.
 * Compile errors are reported with the README's line numbers.
 */
public final class ReadmeSnippets {

    /** Optional modules the README's blocks use (the metrics section, the test harness), on the class path the blocks compile against. */
    static final List<Class<?>> OPTIONAL_MODULES = List.of(io.kbackup.micrometer.KBackupMetrics.class,
            io.micrometer.core.instrument.simple.SimpleMeterRegistry.class, io.kbackup.junit5.ClusterSnapshot.class);

    /** Names whose top-level declaration in a block is replaced by the fixture's value. */
    static final Set<String> STAND_INS = Set.of("k8s", "location");

    private static final List<String> IMPORTS = List.of(
            "io.kbackup.*", "io.kbackup.core.*", "io.kbackup.core.direct.*", "io.kbackup.core.velero.*",
            "io.kbackup.core.schedule.*", "io.kbackup.core.fleet.*", "io.fabric8.kubernetes.client.*",
            "io.kbackup.micrometer.*", "io.micrometer.core.instrument.*", "io.micrometer.core.instrument.simple.*",
            "io.kbackup.junit5.*", "org.junit.jupiter.api.*", "java.nio.file.*", "java.time.*", "java.util.*");

    /** A {@code ```java} block of the README: the section it stands in, its first line (1-based) and its text. */
    record Snippet(String section, int firstLine, String code) {
        @Override
        public String toString() {
            return "README.md line " + firstLine + " (" + section + ")";
        }
    }

    /** The fixture's variables, by name and declared type, in the order of the generated fields. */
    record Fixture(Map<String, Class<?>> types, Map<String, Object> values) {
        Fixture {
            types = new LinkedHashMap<>(types);
            values = new LinkedHashMap<>(values);
        }
    }

    /** What one block left behind: its top-level variables, and the initialisers of the stand-ins it declared. */
    record Run(Map<String, Object> declared, Map<String, Supplier<?>> ownInitialisers) {}

    /** The base class of the generated snippet classes. */
    public abstract static class Body {
        public final Map<String, Object> declared = new LinkedHashMap<>();
        public final Map<String, Supplier<?>> ownInitialisers = new LinkedHashMap<>();

        public abstract void run() throws Exception;

        protected <T> T standIn(String name, Supplier<T> own, T fixture) {
            ownInitialisers.put(name, own);
            return fixture;
        }

        protected void declared(String name, Object value) {
            declared.put(name, value);
        }
    }

    private static final Pattern DECLARATION =
            Pattern.compile("(?m)^([A-Z][\\w.]*(?:<[\\w.<>, ?]*>)?(?:\\[\\])?|var)\\s+([a-z]\\w*)\\s*=\\s*");

    private final List<Snippet> snippets;
    private final Map<Snippet, Class<? extends Body>> compiled = new LinkedHashMap<>();

    private ReadmeSnippets(List<Snippet> snippets) {
        this.snippets = snippets;
    }

    /** Reads README.md of the project root (found upwards from the working directory). */
    static ReadmeSnippets read() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("examples")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("README.md of the project not found above " + Path.of("").toAbsolutePath());
        }
        try {
            return new ReadmeSnippets(parse(Files.readAllLines(dir.resolve("README.md"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Snippet> parse(List<String> lines) {
        List<Snippet> out = new ArrayList<>();
        String section = "top";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#")) {
                section = line.replaceFirst("^#+\\s*", "");
            } else if (line.strip().equals("```java")) {
                int first = i + 2;
                StringBuilder code = new StringBuilder();
                for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                    code.append(lines.get(i)).append('\n');
                }
                out.add(new Snippet(section, first, code.toString()));
            }
        }
        return out;
    }

    List<Snippet> snippets() {
        return snippets;
    }

    /**
     * Compiles every block into {@code outDir} against the test class path.
     *
     * @throws AssertionError listing each compile error with its README line
     */
    void compile(Fixture fixture, Path outDir) throws IOException {
        List<JavaFileObject> sources = new ArrayList<>();
        Map<String, Snippet> byClass = new LinkedHashMap<>();
        Map<String, Integer> headerLines = new LinkedHashMap<>();
        for (int i = 0; i < snippets.size(); i++) {
            String name = "Snippet" + i;
            String header = header(name, fixture);
            String source = header + rewrite(snippets.get(i).code(), fixture) + "    }\n}\n";
            byClass.put(name, snippets.get(i));
            headerLines.put(name, (int) header.lines().count());
            sources.add(new SimpleJavaFileObject(URI.create("string:///readme/" + name + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            });
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("-d", outDir.toString(), "-classpath", classPath(), "-proc:none", "-nowarn");
        boolean ok = javac.getTask(null, null, diagnostics, options, null, sources).call();
        if (!ok) {
            String errors = diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).map(d -> {
                String cls = d.getSource().getName().replaceAll(".*/(\\w+)\\.java$", "$1");
                Snippet s = byClass.get(cls);
                long line = s.firstLine() + d.getLineNumber() - headerLines.get(cls) - 1;
                return "README.md line " + line + " (" + s.section() + "): " + d.getMessage(Locale.ROOT);
            }).collect(Collectors.joining("\n"));
            throw new AssertionError("README snippets do not compile:\n" + errors);
        }
        URLClassLoader loader = new URLClassLoader(new URL[] {outDir.toUri().toURL()}, ReadmeSnippets.class.getClassLoader());
        for (Map.Entry<String, Snippet> e : byClass.entrySet()) {
            try {
                compiled.put(e.getValue(), loader.loadClass("readme." + e.getKey()).asSubclass(Body.class));
            } catch (ClassNotFoundException ex) {
                throw new IllegalStateException(ex);
            }
        }
    }

    /** Runs a compiled block with the fixture's values. */
    Run run(Snippet snippet, Fixture fixture) throws Exception {
        Constructor<? extends Body> c = compiled.get(snippet).getConstructor(Map.class);
        Body body = c.newInstance(fixture.values());
        body.run();
        return new Run(body.declared, body.ownInitialisers);
    }

    private static String header(String name, Fixture fixture) {
        StringBuilder h = new StringBuilder("package readme;\n");
        IMPORTS.forEach(i -> h.append("import ").append(i).append(";\n"));
        h.append("public final class ").append(name).append(" extends ").append(Body.class.getCanonicalName()).append(" {\n");
        fixture.types().forEach((n, t) -> h.append("    private final ").append(t.getCanonicalName()).append(' ').append(n).append(";\n"));
        h.append("    public ").append(name).append("(java.util.Map<String, Object> given) {\n");
        fixture.types().forEach((n, t) -> h.append("        this.").append(n).append(" = (").append(t.getCanonicalName())
                .append(") given.get(\"").append(n).append("\");\n"));
        h.append("    }\n    @Override public void run() throws Exception {\n");
        return h.toString();
    }

    /** Swaps the stand-ins' initialisers and hands back the top-level variables, keeping the line count. */
    static String rewrite(String code, Fixture fixture) {
        StringBuilder out = new StringBuilder();
        Set<String> declared = new LinkedHashSet<>();
        Matcher m = DECLARATION.matcher(code);
        int at = 0;
        while (m.find(at)) {
            String var = m.group(2);
            declared.add(var);
            int end = statementEnd(code, m.end());
            out.append(code, at, m.end());
            if (STAND_INS.contains(var) && fixture.types().containsKey(var)) {
                out.append("standIn(\"").append(var).append("\", () -> ").append(code, m.end(), end)
                        .append(", this.").append(var).append(')');
            } else {
                out.append(code, m.end(), end);
            }
            at = end;
        }
        out.append(code.substring(at));
        declared.forEach(v -> out.append("declared(\"").append(v).append("\", ").append(v).append(");\n"));
        return out.toString();
    }

    /** The index of the {@code ;} that ends the statement starting at {@code from} (outside brackets and strings). */
    private static int statementEnd(String code, int from) {
        int depth = 0;
        boolean string = false;
        for (int i = from; i < code.length(); i++) {
            char c = code.charAt(i);
            if (string) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    string = false;
                }
            } else if (c == '"') {
                string = true;
            } else if (c == '/' && i + 1 < code.length() && code.charAt(i + 1) == '/') {
                i = code.indexOf('\n', i);
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            } else if (c == ';' && depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("no end of statement after: " + code.substring(from));
    }

    private static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String p : new String[] {"surefire.test.class.path", "jdk.module.path", "java.class.path"}) {
            String v = System.getProperty(p);
            if (v != null && !v.isBlank()) {
                entries.addAll(List.of(v.split(java.io.File.pathSeparator)));
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }
}

package io.kbackup.examples.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Minimal {@code --name value} / {@code --flag} argument parsing for the benchmark mains. */
final class Args {

    private final Map<String, String> values = new HashMap<>();

    private Args() {}

    /** As {@link #parse}, for a benchmark's {@code main}: a wrong command line is printed and the JVM exits with 2. */
    static Args parseOrExit(String[] args, Set<String> options, Set<String> flags) {
        try {
            return parse(args, options, flags);
        } catch (IllegalArgumentException e) {
            System.out.println(e.getMessage());
            System.exit(2);
            throw e; // not reached
        }
    }

    /**
     * Parses {@code args}; {@code flags} take no value.
     *
     * @throws IllegalArgumentException for an unknown option or a missing value
     */
    static Args parse(String[] args, Set<String> options, Set<String> flags) {
        Args a = new Args();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String value = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                a.values.put(name, "true");
            } else if (options.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(name + " needs a value");
                    }
                    value = args[++i];
                }
                a.values.put(name, value);
            } else {
                throw new IllegalArgumentException("unknown option '" + name + "'; options: " + List.copyOf(options)
                        + ", flags: " + List.copyOf(flags));
            }
        }
        return a;
    }

    String get(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    int getInt(String name, int dflt) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.replace("_", "").replace("k", "000"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, was '" + v + "'");
        }
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }
}

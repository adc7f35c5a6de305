package io.kbackup.cli;

import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The secret values this run has read (keys, tokens, passwords from credentials files, the
 * environment and endpoint URLs). Everything the CLI prints goes through {@link #redact}, so a
 * secret that reaches a message (a service quoting a request, a stack trace under
 * {@code --verbose}) is printed as {@value #MASK}. Thread-safe.
 */
final class Secrets {
    static final String MASK = "****";
    /** Shorter values would mask ordinary words; no real key, token or password is this short. */
    private static final int MIN_LENGTH = 4;

    private final Set<String> values = new ConcurrentSkipListSet<>(
            Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));

    /** Registers a secret value and returns it. Null and very short values are not registered. */
    String add(String value) {
        if (value != null && value.strip().length() >= MIN_LENGTH) {
            values.add(value);
            values.add(value.strip());
        }
        return value;
    }

    /** The text with every registered secret masked, longest first. */
    String redact(String text) {
        if (text == null || values.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : values) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }
}

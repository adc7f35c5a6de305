package io.kbackup;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Input checks shared by the plan builders; messages name the field and say what to do. */
final class Checks {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    private static final Pattern LABEL_KEY = Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");

    private Checks() {}

    static void backupName(String what, String name, int max) {
        if (name.length() > max || !DNS_SUBDOMAIN.matcher(name).matches()) {
            throw new InvalidPlanException(what + " '" + name + "' is not valid: use lower-case letters, digits, '-' and '.',"
                    + " starting and ending with a letter or digit, at most " + max + " characters.");
        }
    }

    static Set<String> namespaces(String field, Collection<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String ns : names) {
            if (ns == null || !(ns.equals("*") || (ns.length() <= 63 && DNS_LABEL.matcher(ns).matches()))) {
                throw new InvalidPlanException(field + " contains '" + ns + "', which is not a namespace name"
                        + " (lower-case letters, digits and '-', at most 63 characters) or '*'.");
            }
            out.add(ns);
        }
        return Set.copyOf(out);
    }

    static List<String> resources(String field, Collection<String> names) {
        for (String r : names) {
            if (r == null || r.isBlank() || r.contains("/") || r.contains(" ")) {
                throw new InvalidPlanException(field + " contains '" + r + "': give resources as plural or plural.group,"
                        + " e.g. 'deployments.apps', 'configmaps', or '*'.");
            }
        }
        return List.copyOf(new LinkedHashSet<>(names));
    }

    static Map<String, String> labels(String field, Map<String, String> labels) {
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (e.getKey() == null || e.getKey().length() > 316 || !LABEL_KEY.matcher(e.getKey()).matches()) {
                throw new InvalidPlanException(field + " has an invalid label key '" + e.getKey() + "'.");
            }
            if (e.getValue() == null || e.getValue().length() > 63 || !LABEL_VALUE.matcher(e.getValue()).matches()) {
                throw new InvalidPlanException(field + " has an invalid value '" + e.getValue() + "' for label '" + e.getKey()
                        + "': at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit.");
            }
        }
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    static void disjoint(String includedField, Set<String> included, String excludedField, Set<String> excluded) {
        for (String ns : included) {
            if (!ns.equals("*") && excluded.contains(ns)) {
                throw new InvalidPlanException("'" + ns + "' is in both " + includedField + " and " + excludedField
                        + "; remove it from one of them.");
            }
        }
    }

    /** Velero's "include everything": no includes (or only '*') and no excludes. */
    static boolean allNamespaces(Set<String> included, Set<String> excluded) {
        return (included.isEmpty() || included.equals(Set.of("*"))) && excluded.isEmpty();
    }

    /** A mapping whose keys and values are all non-blank, unmodifiable and in its order. */
    static Map<String, String> mapping(String field, Map<String, String> mapping) {
        for (Map.Entry<String, String> e : mapping.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank() || e.getValue() == null || e.getValue().isBlank()) {
                throw new InvalidPlanException(field + " maps '" + e.getKey() + "' to '" + e.getValue()
                        + "'; both sides must be non-blank.");
            }
        }
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(mapping));
    }

    /** A namespace mapping: namespace names on both sides, each target used once; unmodifiable and in its order. */
    static Map<String, String> namespaceMapping(String field, Map<String, String> mapping) {
        namespaces("namespaceMapping keys", mapping.keySet());
        namespaces("namespaceMapping values", mapping.values());
        Set<String> targets = new java.util.HashSet<>();
        for (String target : mapping.values()) {
            if (!targets.add(target)) {
                throw new InvalidPlanException(field + " maps two namespaces to '" + target
                        + "'; each target namespace may be used once.");
            }
        }
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(mapping));
    }
}

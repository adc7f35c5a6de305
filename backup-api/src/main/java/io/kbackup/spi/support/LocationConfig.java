package io.kbackup.spi.support;

import io.kbackup.InvalidPlanException;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Reading the values of a {@link io.kbackup.BackupLocation#config() location's config} in a storage
 * provider: a blank value counts as unset, and a number that is not one the key takes is refused
 * with a message naming the key and the value.
 */
public final class LocationConfig {

    private LocationConfig() {}

    /** The value of {@code key} as given, or null when it is not set or blank. */
    public static String text(Map<String, String> config, String key) {
        String value = config.get(key);
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * The whole number under {@code key}, or {@code fallback} when it is not set or blank.
     *
     * @param valid       which numbers the key takes
     * @param where       names the location, to start the message
     * @param requirement what the key takes, in words, ending the sentence "... must be"
     * @throws InvalidPlanException {@code <where>: config <key> '<value>' must be <requirement>.} when the
     *                              value is not a whole number or not one {@code valid} takes
     */
    public static int wholeNumber(Map<String, String> config, String key, int fallback, IntPredicate valid, String where,
            String requirement) {
        String value = text(config, key);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (valid.test(n)) {
                return n;
            }
        } catch (NumberFormatException e) {
            // not a whole number: refused as one out of range is
        }
        throw new InvalidPlanException(where + ": config " + key + " '" + value + "' must be " + requirement + ".");
    }
}

package io.kbackup.spi.support;

import java.util.Collection;

/**
 * Masks the secrets a provider knows (keys, passwords, tokens) in a message before it goes into an
 * exception or a log line, as every provider must: each occurrence becomes {@code ****}.
 */
public final class SecretMask {

    private SecretMask() {}

    /** {@code text} with every non-empty secret replaced by {@code ****}; {@code ""} for {@code null}. */
    public static String mask(String text, Collection<String> secrets) {
        if (text == null) {
            return "";
        }
        String out = text;
        for (String s : secrets) {
            if (!s.isEmpty()) {
                out = out.replace(s, "****");
            }
        }
        return out;
    }
}

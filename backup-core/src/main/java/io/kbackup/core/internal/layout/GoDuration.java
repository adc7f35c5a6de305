package io.kbackup.core.internal.layout;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's {@code time.Duration} text form, as Velero stores {@code spec.ttl} ({@code "720h0m0s"}). */
public final class GoDuration {
    private static final Pattern PART = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)");

    private GoDuration() {}

    /** Formats as Go's {@code Duration.String()}: {@code 720h0m0s}, {@code 1m30s}, {@code 5s}, {@code 1.5s}, {@code 0s}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        boolean negative = d.isNegative();
        Duration a = d.abs();
        long totalSeconds = a.getSeconds();
        int nanos = a.getNano();
        StringBuilder sb = new StringBuilder(negative ? "-" : "");
        if (totalSeconds == 0) {
            // sub-second: Go uses ms, µs or ns
            if (nanos % 1_000_000 == 0) {
                sb.append(nanos / 1_000_000).append("ms");
            } else if (nanos >= 1_000_000) {
                sb.append(fraction(nanos / 1_000_000, nanos % 1_000_000, 6)).append("ms");
            } else if (nanos >= 1_000) {
                sb.append(fraction(nanos / 1_000, nanos % 1_000, 3)).append("µs");
            } else {
                sb.append(nanos).append("ns");
            }
            return sb.toString();
        }
        long h = totalSeconds / 3600;
        long m = (totalSeconds % 3600) / 60;
        long s = totalSeconds % 60;
        if (h > 0) {
            sb.append(h).append('h');
        }
        if (h > 0 || m > 0) {
            sb.append(m).append('m');
        }
        sb.append(fraction(s, nanos, 9)).append('s');
        return sb.toString();
    }

    private static String fraction(long whole, long frac, int digits) {
        if (frac == 0) {
            return Long.toString(whole);
        }
        String f = String.format("%0" + digits + "d", frac).replaceAll("0+$", "");
        return whole + "." + f;
    }

    /**
     * Parses Go's duration syntax ({@code 720h0m0s}, {@code 24h}, {@code 1h30m}, {@code 1.5h},
     * {@code 300ms}).
     *
     * @throws IllegalArgumentException when {@code text} is not a Go duration
     */
    public static Duration parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        String s = text;
        boolean negative = false;
        if (s.startsWith("-") || s.startsWith("+")) {
            negative = s.startsWith("-");
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(s);
        int pos = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos || m.group(1).isEmpty() || m.group(1).equals(".")) {
                throw new IllegalArgumentException("not a Go duration: '" + text + "'");
            }
            BigDecimal value = new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos = nanos.add(value.multiply(BigDecimal.valueOf(unit)));
            pos = m.end();
        }
        Duration d = Duration.ofNanos(nanos.longValue());
        return negative ? d.negated() : d;
    }
}

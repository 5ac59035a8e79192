package dev.engagement.gateway.resilience;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One platform budget, written in configuration as {@code 100 per PT15M for reply,comment}:
 * how many calls the actions listed may make together in each period.
 */
public record RateBudget(String name, int permits, Duration period, List<String> actions) {

    private static final Pattern FORM = Pattern.compile("\\s*(\\d+)\\s+per\\s+(\\S+)\\s+for\\s+([a-z,\\s]+)\\s*", Pattern.CASE_INSENSITIVE);

    /** A budget with no actions: {@code <permits> per <ISO-8601 duration>} (the lookups' read budget). */
    public static RateBudget parseReads(String key, String name, String text) {
        return parse(key, name, text + " for lookup");
    }

    public static RateBudget parse(String key, String name, String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(key + ": expected '<permits> per <ISO-8601 duration> for <action>,<action>' but got '" + text + "'");
        }
        Duration period;
        try {
            period = Duration.parse(m.group(2).toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + ": '" + m.group(2) + "' is not an ISO-8601 duration such as PT15M or P1D", e);
        }
        List<String> actions = Arrays.stream(m.group(3).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        int permits = Integer.parseInt(m.group(1));
        if (permits < 1 || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException(key + ": permits and period must be positive");
        }
        return new RateBudget(name, permits, period, actions);
    }
}

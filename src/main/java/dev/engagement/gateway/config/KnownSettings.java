package dev.engagement.gateway.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Refuses a setting nobody reads, so that a typo ({@code engagement.policy.thresholds.thread.reply...})
 * fails at start with its name instead of being silently ignored. A key is known when the shipped
 * application.properties has it, or has it with another platform or action in it (every platform
 * and action of the contract may have what one has), or it is a per-platform override of a shared
 * setting that allows one (those under {@link #PER_PLATFORM}). The names after {@code persona.rule.},
 * {@code rate-limit.} and {@code policy.penalty.} (a category of sensitive content) are the integrator's own.
 */
public final class KnownSettings {

    /** Shared settings a platform may override as {@code engagement.platforms.<p>.<rest>}. */
    public static final List<String> PER_PLATFORM = List.of("engagement.resilience.", "engagement.targets.read-limit");
    /** Threshold settings a platform, an action or both may override ({@code engagement.policy.thresholds.<p>.<a>.<name>}). */
    public static final List<String> THRESHOLDS = List.of("auto-execute-above", "review-at-or-above");

    /** Keys log4j2 reads as JVM system properties (src/main/resources/log4j2.xml), before any settings file. */
    public static final List<String> LOGGING = List.of("engagement.log.format", "engagement.log.target");

    private static final Pattern FREE_NAMES = Pattern.compile("(\\.persona\\.rule\\.|\\.rate-limit\\.|\\.policy\\.penalty\\.)[^.]+$");

    private KnownSettings() {
    }

    /** The keys the shipped application.properties (packaged in the jar) defines. */
    public static Set<String> shipped() {
        Properties p = new Properties();
        try (InputStream in = KnownSettings.class.getResourceAsStream("/application.properties")) {
            if (in == null) {
                throw new IllegalStateException("application.properties is missing from the classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the packaged application.properties", e);
        }
        return p.stringPropertyNames();
    }

    /** Throws naming every {@code engagement.*} key in use that is not a known one. */
    public static void check(Collection<String> inUse, Set<String> shipped, Collection<String> platforms, Collection<String> actions) {
        Set<String> templates = new HashSet<>(LOGGING);
        for (String key : shipped) {
            templates.add(generalise(key, platforms, actions));
            if (PER_PLATFORM.stream().anyMatch(key::startsWith)) {
                templates.add("engagement.platforms.<platform>." + key.substring("engagement.".length()));
            }
        }
        for (String name : THRESHOLDS) {
            templates.add("engagement.policy.thresholds.<platform>." + name);
            templates.add("engagement.policy.thresholds.<action>." + name);
            templates.add("engagement.policy.thresholds.<platform>.<action>." + name);
        }
        List<String> unknown = new ArrayList<>();
        for (String key : inUse) {
            if (key.startsWith("engagement.") && !templates.contains(generalise(key, platforms, actions))) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown setting" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + ": no such setting in application.properties (platforms are " + platforms + ", actions " + actions + ")");
        }
    }

    /** The key with its platform and action names, and the integrator's own names, as placeholders. */
    static String generalise(String key, Collection<String> platforms, Collection<String> actions) {
        String k = FREE_NAMES.matcher(key).replaceFirst("$1<name>");
        String[] parts = k.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            if (platforms.contains(parts[i])) {
                parts[i] = "<platform>";
            } else if (actions.contains(parts[i])) {
                parts[i] = "<action>";
            }
        }
        return String.join(".", parts);
    }
}

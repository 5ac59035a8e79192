package dev.engagement.gateway.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.apache.camel.spi.PropertiesComponent;

/**
 * Typed reads of application.properties through Camel's properties component, so that
 * {@code -Dkey=value} and environment variables override the file exactly as they do for routes.
 * Defaults live in application.properties only: a required setting that is missing fails at start
 * with its name, never with a value repeated here.
 */
public class Settings {

    private final PropertiesComponent properties;

    public Settings(PropertiesComponent properties) {
        this.properties = properties;
    }

    /** An optional setting: empty when the key is missing or its value is blank (e.g. {@code mcp.url =}). */
    public Optional<String> get(String key) {
        return properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    /**
     * A variable outside the engagement.* settings, such as a connector's credentials ({@code X_USER_ACCESS_TOKEN}) or a
     * constant of a tool map ({@code ${X_USER_ID}}): a setting or -D of that name, else the environment variable.
     */
    public Optional<String> variable(String name) {
        return get(name).or(() -> Optional.ofNullable(System.getenv(name)).map(String::trim).filter(v -> !v.isEmpty()));
    }

    /** A required setting. */
    public String require(String key) {
        return get(key).orElseThrow(() -> new IllegalArgumentException("Setting " + key
                + " is missing or empty: set it in application.properties (the shipped file has every setting)"));
    }

    public int getInt(String key) {
        return parse(key, Integer::parseInt);
    }

    public long getLong(String key) {
        return parse(key, Long::parseLong);
    }

    public double getDouble(String key) {
        return parse(key, Double::parseDouble);
    }

    public boolean getBoolean(String key) {
        return parse(key, v -> switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        });
    }

    /** An ISO-8601 duration such as PT24H. */
    public Duration getDuration(String key) {
        return parse(key, v -> Duration.parse(v.toUpperCase(java.util.Locale.ROOT)));
    }

    /**
     * A platform's own value of a setting that every platform shares, {@code engagement.platforms.<p>.<key>},
     * else the shared {@code engagement.<key>} (e.g. resilience.bulkhead).
     */
    public String requireForPlatform(String platform, String key) {
        String own = "engagement.platforms." + platform + "." + key;
        return get(own).isPresent() ? require(own) : require("engagement." + key);
    }

    public int getIntForPlatform(String platform, String key) {
        String own = "engagement.platforms." + platform + "." + key;
        return get(own).isPresent() ? getInt(own) : getInt("engagement." + key);
    }

    /** A comma-separated list; empty entries are dropped; a blank or missing value is an empty list. */
    public List<String> getList(String key) {
        return get(key).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    /** The keys of the properties files (and overrides) that start with the prefix, sorted. */
    public Set<String> keysUnder(String prefix) {
        Set<String> keys = new TreeSet<>();
        properties.loadPropertiesAsMap().keySet().forEach(k -> {
            String key = String.valueOf(k);
            if (key.startsWith(prefix)) {
                keys.add(key);
            }
        });
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(prefix)).forEach(keys::add);
        return keys;
    }

    private <T> T parse(String key, Function<String, T> parser) {
        String value = require(key);
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Setting " + key + " has an invalid value: '" + value + "'", e);
        }
    }
}

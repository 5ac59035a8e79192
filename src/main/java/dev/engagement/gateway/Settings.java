package dev.engagement.gateway;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.apache.camel.spi.PropertiesComponent;

/**
 * Typed reads of application.properties through Camel's properties component, so that
 * {@code -Dkey=value} and environment variables override the file exactly as they do for routes.
 */
public class Settings {

    private final PropertiesComponent properties;

    public Settings(PropertiesComponent properties) {
        this.properties = properties;
    }

    public Optional<String> get(String key) {
        return properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String get(String key, String fallback) {
        return get(key).orElse(fallback);
    }

    public int getInt(String key, int fallback) {
        return get(key).map(v -> parse(key, v, Integer::parseInt)).orElse(fallback);
    }

    public long getLong(String key, long fallback) {
        return get(key).map(v -> parse(key, v, Long::parseLong)).orElse(fallback);
    }

    public double getDouble(String key, double fallback) {
        return get(key).map(v -> parse(key, v, Double::parseDouble)).orElse(fallback);
    }

    public boolean getBoolean(String key, boolean fallback) {
        return get(key).map(Boolean::parseBoolean).orElse(fallback);
    }

    /** A comma-separated list; empty entries are dropped. */
    public List<String> getList(String key) {
        return get(key).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    private static <T> T parse(String key, String value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Property " + key + " has an invalid value: '" + value + "'", e);
        }
    }
}

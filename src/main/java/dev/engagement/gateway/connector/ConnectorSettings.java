package dev.engagement.gateway.connector;

import java.util.Optional;
import java.util.function.Function;

/**
 * A connector's configuration: environment variables ({@code X_USER_ACCESS_TOKEN}, {@code THREADS_USER_ID}...),
 * each overridable by a JVM system property of the same name. Inside the gateway the lookup is the gateway's
 * settings, which read the same names from the environment.
 */
public final class ConnectorSettings {

    private final Function<String, Optional<String>> lookup;

    public ConnectorSettings(Function<String, Optional<String>> lookup) {
        this.lookup = name -> lookup.apply(name).map(String::trim).filter(v -> !v.isEmpty());
    }

    public static ConnectorSettings fromEnvironment() {
        return new ConnectorSettings(name -> Optional.ofNullable(System.getProperty(name)).or(() -> Optional.ofNullable(System.getenv(name))));
    }

    public Optional<String> get(String name) {
        return lookup.apply(name);
    }

    public String getOr(String name, String fallback) {
        return get(name).orElse(fallback);
    }

    /** The value; or a start-up failure naming the variable to set (never its value). */
    public String require(String name, String what) {
        return get(name).orElseThrow(() -> new IllegalArgumentException("Set the environment variable " + name + " (" + what + ")"));
    }

    public long getMillis(String name, long fallback) {
        String v = getOr(name, String.valueOf(fallback));
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number of milliseconds, not '" + v + "'");
        }
    }
}

package dev.engagement.gateway.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;

/**
 * Which database the suite runs on. By default the embedded H2 of each gateway's data folder.
 * With {@code -Dtest.database=postgres} every gateway gets its own schema on the PostgreSQL at
 * {@code test.postgres.url} (default jdbc:postgresql://127.0.0.1:5432/test), named after its data
 * folder so a restart finds its data again. When that server cannot be reached the PostgreSQL
 * run is skipped with a message, unless {@code -Dtest.postgres.required=true} (CI) makes it fail.
 */
public final class TestDatabase {

    private TestDatabase() {
    }

    public static boolean isPostgres() {
        return "postgres".equalsIgnoreCase(System.getProperty("test.database", "h2"));
    }

    public static String url() {
        return System.getProperty("test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
    }

    public static String user() {
        return System.getProperty("test.postgres.user", "postgres");
    }

    /** Properties that put a gateway with this data folder on the database under test. */
    public static Map<String, String> overridesFor(Path dataDir) {
        if (!isPostgres()) {
            return Map.of();
        }
        requirePostgres();
        String schema = "gw_test_" + Integer.toHexString(dataDir.toAbsolutePath().toString().hashCode() & 0x7fffffff);
        dropAtExit(schema);
        return Map.of(
                "engagement.datasource.url", url(),
                "engagement.datasource.user", user(),
                "engagement.datasource.password", System.getProperty("test.postgres.password", ""),
                "engagement.datasource.schema", schema);
    }

    /**
     * Properties that let gateways in several processes (a {@link RunningGateway} and a {@link GatewayProcess}) on this
     * data folder share its database: PostgreSQL serves them all as it is; the embedded H2 through its own automatic
     * server mode, with commits written before they return (as the gateway's default H2 URL has them).
     */
    public static Map<String, String> sharedOverridesFor(Path dataDir) {
        if (isPostgres()) {
            return overridesFor(dataDir);
        }
        return Map.of("engagement.datasource.url", h2Url(dataDir) + ";AUTO_SERVER=TRUE;WRITE_DELAY=0");
    }

    /** A JDBC connection to the database a gateway with this data folder uses. */
    public static Connection connect(Path dataDir) throws SQLException {
        if (!isPostgres()) {
            return DriverManager.getConnection(h2Url(dataDir), "sa", "");
        }
        Connection c = DriverManager.getConnection(url(), user(), System.getProperty("test.postgres.password", ""));
        c.setSchema(overridesFor(dataDir).get("engagement.datasource.schema"));
        return c;
    }

    /** The embedded H2 database of a gateway with this data folder (the gateway's default, store.Database). */
    private static String h2Url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("engagements").toAbsolutePath();
    }

    private static final java.util.Set<String> SCHEMAS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The test schemas are dropped when the test JVM ends, so runs leave the shared database clean. */
    private static void dropAtExit(String schema) {
        if (SCHEMAS.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url(), user(), System.getProperty("test.postgres.password", ""))) {
                    for (String s : SCHEMAS) {
                        c.createStatement().execute("DROP SCHEMA IF EXISTS " + s + " CASCADE");
                    }
                } catch (SQLException e) {
                    System.err.println("Could not drop test schemas " + SCHEMAS + ": " + e.getMessage());
                }
            }));
        }
        SCHEMAS.add(schema);
    }

    private static void requirePostgres() {
        try (Connection c = DriverManager.getConnection(url(), user(), System.getProperty("test.postgres.password", ""))) {
            c.isValid(2);
        } catch (SQLException e) {
            String message = "PostgreSQL at " + url() + " is not reachable (" + e.getMessage()
                    + "): skipping the PostgreSQL run. Start it, or run the H2 suite only.";
            if (Boolean.getBoolean("test.postgres.required")) {
                throw new IllegalStateException(message.replace("skipping", "and it is required for"), e);
            }
            Assumptions.abort(message);
        }
    }
}

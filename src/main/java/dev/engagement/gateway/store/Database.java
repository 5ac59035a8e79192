package dev.engagement.gateway.store;

import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engagement.gateway.config.Settings;

/** The connection pool (HikariCP) and the schema (Flyway), for H2 or PostgreSQL alike. */
public final class Database {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** H2's own chunk retention: what it assumes of the OS when nothing forces the file to disk */
    private static final long H2_DEFAULT_RETENTION_MS = 45_000;
    /** fsyncs that fall within the retention: a round may be late (it waits for the gateway's writes, or a GC) */
    private static final long MIN_SYNCS_PER_RETENTION = 3;

    private Database() {
    }

    public static HikariDataSource open(Settings settings) {
        String dataDir = settings.require("engagement.data-dir");
        String url = settings.get("engagement.datasource.url")
                .orElseGet(() -> "jdbc:h2:file:" + Path.of(dataDir).toAbsolutePath().normalize().resolve("engagements")
                        // 0: a commit is written before it returns (H2's default delays writes by 500 ms), so
                        // an answer given or a Kafka offset committed after it never outlives its row on kill -9
                        + ";WRITE_DELAY=" + settings.getInt("engagement.datasource.h2-write-delay-ms")
                        + ";RETENTION_TIME=" + embeddedRetentionMs(settings)
                        // closed with the pool when Camel stops, after the routes finished what they were doing,
                        // not by H2's own shutdown hook in the middle of it
                        + ";DB_CLOSE_ON_EXIT=FALSE");
        if (url.startsWith("jdbc:h2:file:")) {
            try {
                Files.createDirectories(Path.of(dataDir));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("Cannot create the data folder " + dataDir + ": " + e.getMessage(), e);
            }
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("engagements");
        config.setJdbcUrl(url);
        config.setUsername(settings.get("engagement.datasource.user").orElse(url.startsWith("jdbc:h2:") ? "sa" : null));
        config.setPassword(settings.get("engagement.datasource.password").orElse(""));
        config.setMaximumPoolSize(settings.getInt("engagement.datasource.pool.max-size"));
        config.setMinimumIdle(settings.getInt("engagement.datasource.pool.min-idle"));
        config.setConnectionTimeout(settings.getLong("engagement.datasource.pool.connection-timeout-ms"));
        config.setMaxLifetime(settings.getLong("engagement.datasource.pool.max-lifetime-ms"));
        config.setExceptionOverrideClassName(BrokenConnections.class.getName());
        if (url.startsWith("jdbc:postgresql:")) {
            // a database that went away fails a new connection, and a statement on a connection it left hanging,
            // in bounded time (the driver waits 10 s to connect and for ever to read by default)
            config.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, config.getConnectionTimeout() / 1000)));
            config.addDataSourceProperty("socketTimeout", settings.require("engagement.datasource.postgres-socket-timeout-seconds"));
        }
        String schema = settings.get("engagement.datasource.schema").orElse(null);
        if (schema != null) {
            config.setSchema(schema);
        }
        HikariDataSource ds = new HikariDataSource(config);
        try {
            migrate(ds, schema);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        LOG.info("Database ready at {}", url.replaceAll("password=[^;&]*", "password=***"));
        return ds;
    }

    /**
     * How long the embedded H2 keeps a file chunk it no longer needs before it writes over it: H2 assumes
     * anything older is on the disk. Its own 45 s (the default here too) leans on the OS writing back within
     * 30 s; with the gateway's fsync every h2-sync-interval-ms a few intervals are enough, and the file holds
     * that much less of recent writes (README: why 5 s is not the default). Never below a few fsyncs.
     */
    static long embeddedRetentionMs(Settings settings) {
        long retention = settings.getLong("engagement.datasource.h2-retention-ms");
        long sync = settings.getLong("engagement.datasource.h2-sync-interval-ms");
        long shortest = sync > 0 ? MIN_SYNCS_PER_RETENTION * sync : H2_DEFAULT_RETENTION_MS;
        if (retention < shortest) {
            throw new IllegalArgumentException("engagement.datasource.h2-retention-ms = " + retention + " is too short: H2 writes over"
                    + " a chunk it no longer needs after this long, assuming the disk has it by then; "
                    + (sync > 0 ? "keep it at least " + MIN_SYNCS_PER_RETENTION + " × h2-sync-interval-ms (" + shortest + ")"
                            : "with h2-sync-interval-ms = 0 (no fsync) keep H2's own " + H2_DEFAULT_RETENTION_MS));
        }
        return retention;
    }

    /** True for an H2 database in a file (the embedded default): what the housekeeping timers are for. */
    public static boolean isEmbeddedFile(HikariDataSource ds) {
        return ds.getJdbcUrl().startsWith("jdbc:h2:file:");
    }

    /** Applies the migrations; with a schema, Flyway creates it first if needed. */
    public static void migrate(DataSource ds, String schema) {
        var flyway = Flyway.configure().dataSource(ds).locations("classpath:db/migration");
        if (schema != null) {
            flyway.schemas(schema).createSchemas(true);
        }
        flyway.load().migrate();
    }
}

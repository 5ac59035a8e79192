package dev.engagement.gateway.store;

import java.sql.Connection;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: the gateway can do nothing useful without its database (every engagement is recorded before
 * anything is done), so GET /observe/health answers DOWN (503), naming this check, while the database
 * cannot be reached, and UP as soon as it answers again. A readiness check only: the process itself is
 * fine and recovers alone, so nothing should restart it.
 */
public class DatabaseHealthCheck extends AbstractHealthCheck {

    private static final int VALID_WITHIN_SECONDS = 1;

    private final DataSource dataSource;

    public DatabaseHealthCheck(DataSource dataSource) {
        super("engagement", "database");
        this.dataSource = dataSource;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        // the pool's connection timeout bounds the wait for a connection (engagement.datasource.pool.connection-timeout-ms)
        try (Connection c = dataSource.getConnection()) {
            if (c.isValid(VALID_WITHIN_SECONDS) && !c.isReadOnly()) {
                builder.up();
            } else {
                builder.message("the database does not answer, or is read-only").down();
            }
        } catch (Exception e) {
            builder.message("the database cannot be reached: " + e.getMessage()).error(e).down();
        }
    }
}

package dev.engagement.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: the gateway can do nothing useful without its database (every engagement is recorded before
 * anything is done), so GET /observe/health answers DOWN (503), naming this check, while the database
 * cannot be reached or written, and UP as soon as it takes a write again. The probe is a real write (one
 * heartbeat row, V4 migration): a full disk or a read-only folder still reads. At most one probe a
 * second, whoever asks. A readiness check only: the process is fine and recovers alone; nothing should
 * restart it.
 */
public class DatabaseHealthCheck extends AbstractHealthCheck {

    private static final long PROBE_EVERY_NANOS = 1_000_000_000L;

    private final DataSource dataSource;
    private long probedAt;
    private String failure;

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
        String found = probe();
        if (found == null) {
            builder.up();
        } else {
            builder.message("the database cannot be reached or written: " + found).down();
        }
    }

    /** Null when the database took a write, else why not; the last answer within a second is reused. */
    private synchronized String probe() {
        long now = System.nanoTime();
        if (probedAt != 0 && now - probedAt < PROBE_EVERY_NANOS) {
            return failure;
        }
        // the pool's connection timeout bounds the wait (engagement.datasource.pool.connection-timeout-ms)
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE gateway_heartbeat SET beat_at = ? WHERE id = 1")) {
            ps.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
            ps.executeUpdate();
            failure = null;
        } catch (Exception e) {
            failure = e.getMessage();
        }
        probedAt = System.nanoTime();
        return failure;
    }
}

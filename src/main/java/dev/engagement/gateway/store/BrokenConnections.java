package dev.engagement.gateway.store;

import java.sql.SQLException;

import com.zaxxer.hikari.SQLExceptionOverride;

/**
 * Tells the pool to drop a connection whose database is gone for good: the embedded H2 closes itself when
 * a write fails (its disk full or its folder read-only), and every pooled connection then answers "the
 * database has been closed" for ever. Dropped, they are replaced by new ones, and the first of those opens
 * the database again once it can be written: the gateway recovers without a restart.
 * (Named by class in the pool's configuration, so it has a public no-argument constructor.)
 */
public class BrokenConnections implements SQLExceptionOverride {

    @java.lang.Override
    public SQLExceptionOverride.Override adjudicate(SQLException e) {
        return StoreFailure.isUnavailability(e) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
    }
}

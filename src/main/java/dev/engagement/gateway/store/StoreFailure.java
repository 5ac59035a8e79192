package dev.engagement.gateway.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.ErrorCode;

/**
 * A failed statement in the contract's terms. The database unreachable, or unable to write (the
 * embedded H2's folder read-only or its disk full), is SERVICE_UNAVAILABLE: nothing was done, the same
 * request may pass later. Anything else is INTERNAL_ERROR with a reference to the log; the SQL and the
 * driver's message are never shown to a caller.
 */
public final class StoreFailure {

    private static final Logger LOG = LoggerFactory.getLogger(StoreFailure.class);

    /** How long a caller is told to wait before trying again while the database is away. */
    public static final long RETRY_AFTER_SECONDS = 5;

    /**
     * PostgreSQL: cannot connect now, too many connections, out of disk or memory, shut down by an operator.
     * H2 (its SQL state is its error code): read-only database or file, disk full, file I/O failed, database
     * closed or shutting down.
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300", "53100", "53200",
            "90097", "90100", "90028", "90031", "90098", "90121", "90140");

    private StoreFailure() {
    }

    static EngagementFailure of(SQLException e) {
        return unavailability(e).orElseGet(() -> {
            String reference = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("The engagement store failed (reference {})", reference, e);
            return new EngagementFailure(ErrorCode.INTERNAL_ERROR, "The engagement store failed; reference " + reference
                    + " in the gateway log", true, null, null, null, null, e);
        });
    }

    /**
     * SERVICE_UNAVAILABLE when something in the cause chain says the database cannot be reached or written
     * (whoever threw it: the store, a route's sql: step through Spring, the connection pool); logged once here.
     */
    public static Optional<EngagementFailure> unavailability(Throwable caught) {
        return unavailableCause(caught).map(sql -> {
            LOG.warn("The database is unavailable: {}", sql.toString());
            return new EngagementFailure(ErrorCode.SERVICE_UNAVAILABLE, "The gateway's database cannot be reached"
                    + " or written just now; nothing was done. Retry after " + RETRY_AFTER_SECONDS + " seconds",
                    true, RETRY_AFTER_SECONDS, null, null, null, sql);
        });
    }

    /** Whether the database's being away is behind this failure (nothing logged: the failure was told already). */
    public static boolean isUnavailable(Throwable caught) {
        return unavailableCause(caught).isPresent();
    }

    private static Optional<SQLException> unavailableCause(Throwable caught) {
        for (Throwable t = caught; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && isUnavailability(sql)) {
                return Optional.of(sql);
            }
        }
        return Optional.empty();
    }

    /**
     * The database cannot be reached or written: a connection failure or a state that says so, or an I/O
     * failure underneath (H2 reports a write that failed on a full or read-only disk as a "general error"
     * caused by one).
     */
    static boolean isUnavailability(SQLException e) {
        String state = e.getSQLState();
        if (e instanceof SQLTransientConnectionException || e instanceof SQLRecoverableException
                || e instanceof java.sql.SQLNonTransientConnectionException
                || (state != null && (state.startsWith("08") || UNAVAILABLE_STATES.contains(state)))) {
            return true;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }
}

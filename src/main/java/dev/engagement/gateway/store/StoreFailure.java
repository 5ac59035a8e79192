package dev.engagement.gateway.store;

import java.sql.SQLException;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.ErrorCode;

/** A failed statement in the contract's terms: an internal error the caller may retry. */
final class StoreFailure {

    private StoreFailure() {
    }

    static EngagementFailure of(SQLException e) {
        return new EngagementFailure(ErrorCode.INTERNAL_ERROR, "The engagement store failed: " + e.getMessage(),
                true, null, null, null, null, e);
    }
}

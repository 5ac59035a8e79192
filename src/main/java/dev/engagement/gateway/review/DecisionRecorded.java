package dev.engagement.gateway.review;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.component.sql.SqlConstants;

/**
 * Brings back what the decision's transaction (direct:record-decision, enriched onto the reviewer's
 * request) did: its update count, or its failure, kept on the request's exchange for
 * {@link ReviewerDecisions#outcome} to throw. A failure of a transacted route is otherwise marked as
 * handled by its transaction's error handler, and the request's own would never answer it.
 */
public class DecisionRecorded implements AggregationStrategy {

    /** Exchange property: why the decision could not be written (it was rolled back). */
    public static final String FAILURE = "decisionFailure";

    @Override
    public Exchange aggregate(Exchange request, Exchange transaction) {
        if (transaction.getException() != null) {
            request.setProperty(FAILURE, transaction.getException());
        } else {
            request.getMessage().setHeader(SqlConstants.SQL_UPDATE_COUNT, transaction.getMessage().getHeader(SqlConstants.SQL_UPDATE_COUNT));
        }
        return request;
    }
}

package dev.engagement.gateway.flow;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.component.jsonvalidator.NoJsonBodyValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.EngagementResult;
import dev.engagement.gateway.contract.ErrorCode;
import dev.engagement.gateway.contract.Violation;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.engagement.EngagementState;
import dev.engagement.gateway.mcp.PlatformCallFailure;
import dev.engagement.gateway.store.StoreFailure;

/**
 * The one place where any exception becomes a contract-shaped failure: an {@link EngagementFailure}
 * keeps its code; the database unreachable is SERVICE_UNAVAILABLE; anything else is INTERNAL_ERROR with a
 * reference to the log. When the failure
 * happened to an engagement this exchange was moving, the failure is recorded on it; an execution the
 * platform may have carried out without answering is not a failure but an unknown outcome
 * ({@link UnfinishedEngagements#unanswered}).
 */
public class FailureResponder {

    private static final Logger LOG = LoggerFactory.getLogger(FailureResponder.class);

    private final EngagementLifecycle lifecycle;
    private final UnfinishedEngagements unfinished;

    public FailureResponder(EngagementLifecycle lifecycle, UnfinishedEngagements unfinished) {
        this.lifecycle = lifecycle;
        this.unfinished = unfinished;
    }

    public void toResult(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        EngagementFailure failure = asFailure(caught);
        Object body = exchange.getMessage().getBody();
        EngagementResult result;
        if (body instanceof Engagement e) {
            result = recorded(e, failure);
        } else {
            result = EngagementResult.failed(failure.engagementId(), null, failure.toErrorBody());
        }
        exchange.getMessage().setBody(result);
    }

    /**
     * The failure recorded on the engagement; when even that cannot be written (the database away), the
     * failure is answered all the same: what the caller is told matters more than the record that failed.
     */
    private EngagementResult recorded(Engagement e, EngagementFailure failure) {
        try {
            if (failure instanceof PlatformCallFailure unavailable && e.getState() == EngagementState.EXECUTING && !e.isReplayed()
                    && (unavailable.mayHaveActed() || e.isResumed())) {
                // the action may have happened (now, or on the try this one resumes): not a failure to retry, an
                // outcome to find out
                return unfinished.unanswered(e, unavailable);
            }
            return lifecycle.fail(e, failure).getResult();
        } catch (RuntimeException notRecorded) {
            LOG.warn("{} failed with {} and that could not be recorded either: {}", e, failure.code(), notRecorded.getMessage());
            return EngagementResult.failed(e.getId(), e.getRequest().requestId(), failure.toErrorBody());
        }
    }

    /** The contract failure in the cause chain; anything else is INTERNAL_ERROR, logged with a reference. */
    public static EngagementFailure asFailure(Throwable caught) {
        Throwable t = caught;
        while (t != null) {
            if (t instanceof EngagementFailure f) {
                return f;
            }
            if (t instanceof NoJsonBodyValidationException) {
                // the json-validator endpoint found no document to validate
                return EngagementFailure.validation(List.of(new Violation("", "request body is empty; expected a JSON object")));
            }
            t = t.getCause();
        }
        Optional<EngagementFailure> unavailable = StoreFailure.unavailability(caught);
        if (unavailable.isPresent()) {
            return unavailable.get();
        }
        String reference = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("Unexpected failure (reference {})", reference, caught);
        return new EngagementFailure(ErrorCode.INTERNAL_ERROR, "Internal error; reference " + reference + " in the gateway log");
    }
}

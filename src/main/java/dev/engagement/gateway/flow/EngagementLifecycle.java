package dev.engagement.gateway.flow;

import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.engagement.EngagementState;
import dev.engagement.gateway.contract.EngagementResult;
import dev.engagement.gateway.contract.ErrorBody;
import dev.engagement.gateway.contract.ErrorCode;
import dev.engagement.gateway.engagement.StateChange;
import dev.engagement.gateway.store.EngagementReads;
import dev.engagement.gateway.store.EngagementRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state changes of an engagement, each recorded in SQL before the route moves on:
 * queue for review, refuse, start and finish an execution, approve, reject, fail.
 */
public class EngagementLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(EngagementLifecycle.class);

    private final EngagementRecords records;
    private final EngagementReads reads;

    /** engagement.approvals.max-pending-per-agent: an agent token cannot flood the review queue (0: no limit). */
    private final int maxPendingPerAgent;
    private static final long PENDING_RETRY_AFTER_SECONDS = 60;

    public EngagementLifecycle(EngagementRecords records, EngagementReads reads, int maxPendingPerAgent) {
        this.records = records;
        this.reads = reads;
        this.maxPendingPerAgent = maxPendingPerAgent;
    }

    public Engagement queueForReview(Engagement e) {
        if (e.getAgent() != null && maxPendingPerAgent > 0 && reads.countPendingOf(e.getAgent()) >= maxPendingPerAgent) {
            throw new EngagementFailure(ErrorCode.RATE_LIMIT_EXCEEDED, "This agent token already has " + maxPendingPerAgent
                    + " engagements waiting for a reviewer (engagement.approvals.max-pending-per-agent); this one was not queued."
                    + " Send it again once reviewers have decided some", true, PENDING_RETRY_AFTER_SECONDS, e.getPlatform(),
                    e.getRequest().target(), null, null);
        }
        EngagementResult pending = EngagementResult.pending(e.getId(), e.getRequest().requestId(), e.reviewNotice());
        Engagement moved = move(e, StateChange.queuedForReview(e.getAssessment(), pending));
        if (moved == e) {
            LOG.info("{} waits for a reviewer (confidence {}): {}", e, e.getConfidence(), e.getAssessment().summary());
        }
        return moved;
    }

    public Engagement refuse(Engagement e) {
        EngagementFailure refusal = new EngagementFailure(ErrorCode.REJECTED_BY_POLICY,
                "Confidence " + e.getConfidence() + " is below the threshold; not engaged, logged for review. Reasons: "
                        + e.getAssessment().summary(),
                false, null, e.getPlatform(), e.getRequest().target(), null, null);
        Engagement moved = move(e, StateChange.refused(e.getAssessment(), failed(e, refusal.toErrorBody())));
        if (moved == e) {
            LOG.info("{} refused by policy (confidence {}): {}", e, e.getConfidence(), e.getAssessment().summary());
        }
        return moved;
    }

    /**
     * received (auto-approved) or approved → executing; anything else means someone else ran it. The
     * engagement returned is replayed (not to be executed) when a concurrent duplicate was admitted first.
     */
    public Engagement startExecution(Engagement e) {
        return move(e, e.getState() == EngagementState.RECEIVED ? StateChange.executionStartedByPolicy(e.getAssessment())
                : StateChange.executionStartedAfterReview());
    }

    /**
     * Takes up an engagement a crash left half-way (its record came again): one still received is
     * decided now; one executing is executed again under the same idempotency key (its id), so a
     * platform that honours the key applies it once. From here this exchange owns the engagement.
     */
    public Engagement resume(Engagement e) {
        if (e.getState() == EngagementState.EXECUTING) {
            move(e, StateChange.executionResumed());
            e.setResumed(true);
        }
        e.setReplayed(false);
        LOG.warn("{} was left unfinished (by a crash?): resuming it", e);
        return e;
    }

    /**
     * Takes up an execution a crash interrupted and nobody has touched since {@code idleBefore}, to run it again
     * under the same idempotency key; false (and the engagement marked replayed) when another instance took it.
     */
    public boolean resumeIdle(Engagement e, OffsetDateTime idleBefore) {
        boolean taken = records.apply(e, StateChange.executionResumed(), idleBefore);
        e.setResumed(taken);
        if (taken) {
            LOG.warn("{} was left executing (by a crash?): executing it again under the same idempotency key", e);
        } else {
            e.setReplayed(true);
        }
        return taken;
    }

    /**
     * An execution a crash interrupted on a platform whose server may act twice if asked twice: whether it
     * happened is unknown until a reviewer checks the platform ({@link #settle}). With {@code idleBefore},
     * only if nobody has touched it since; false (and the engagement marked replayed) when someone did.
     */
    public boolean outcomeUnknown(Engagement e, OffsetDateTime idleBefore, String why) {
        Map<String, Object> notice = new LinkedHashMap<>();
        notice.put("message", why);
        notice.put("state", EngagementState.OUTCOME_UNKNOWN.dbValue());
        boolean moved = records.apply(e, StateChange.outcomeUnknown(EngagementResult.pending(e.getId(), e.getRequest().requestId(),
                notice)), idleBefore);
        if (moved) {
            LOG.warn("{}: outcome unknown until a reviewer settles it. {}", e, why);
        } else {
            e.setReplayed(true);
        }
        return moved;
    }

    /**
     * An execution the platform did not answer, on a server that honours idempotency keys: it stays executing
     * (the timer of routes/maintenance.yaml runs it again under the same key once idle), the unanswered attempt
     * goes into its event log, and the caller is told it is still executing, not that it failed.
     */
    public EngagementResult awaitRetry(Engagement e, EngagementFailure unanswered, java.time.Duration idleAfter) {
        note(e, "execution_unanswered", failed(e, unanswered.toErrorBody()), executionMillis(e), null);
        LOG.warn("{} was not answered by {} ({}); it is executed again under the same idempotency key once idle for {}", e,
                e.getPlatform(), unanswered.getMessage(), idleAfter);
        Map<String, Object> notice = new LinkedHashMap<>();
        notice.put("message", unanswered.getMessage() + ". Whether it acted is not known yet: the gateway asks again under the"
                + " same idempotency key (the platform acts once) within " + idleAfter.toSeconds() + " s; its outcome follows"
                + " (GET /engagements/{id}, or the results topic for a Kafka request). Do not send it as a new request");
        notice.put("state", EngagementState.EXECUTING.dbValue());
        return EngagementResult.pending(e.getId(), e.getRequest().requestId(), notice);
    }

    /**
     * A reviewer who checked the platform settles an engagement whose outcome was unknown: executed
     * (succeeded) or not (failed PLATFORM_ERROR, retryable: it did not happen). CONFLICT when it is not
     * (or no longer) of unknown outcome.
     */
    public Engagement settle(Engagement e, boolean executed, String reviewer, String actor, String note) {
        String why = note == null || note.isBlank() ? "" : ": " + note;
        EngagementResult result;
        if (executed) {
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("settled_by_reviewer", reviewer);
            response.put("message", "A reviewer found the " + e.getAction() + " executed on " + e.getPlatform() + why);
            result = EngagementResult.success(e.getId(), e.getRequest().requestId(), response);
        } else {
            result = failed(e, new EngagementFailure(ErrorCode.PLATFORM_ERROR, "A reviewer (" + reviewer + ") found the "
                    + e.getAction() + " not executed on " + e.getPlatform() + why, true, null, e.getPlatform(),
                    e.getRequest().target(), null, null).toErrorBody());
        }
        move(e, StateChange.settled(executed ? EngagementState.SUCCEEDED : EngagementState.FAILED, result, actor));
        LOG.info("{} settled as {} by {}", e, executed ? "executed" : "not executed", actor);
        return e;
    }

    /**
     * Records the platform's success. When that record cannot be written the action has still happened:
     * the failure says so and is never retryable (a retry under a new request id would act twice), and the
     * platform's answer goes to the log so it is not lost.
     */
    public Engagement succeed(Engagement e) {
        try {
            move(e, StateChange.succeeded(e.getResult(), executionMillis(e)));
        } catch (RuntimeException notRecorded) {
            if (notRecorded instanceof EngagementFailure f && f.code() == ErrorCode.CONFLICT) {
                throw f; // another caller moved it: not ours to answer
            }
            LOG.error("{} was executed on {} but its success could not be recorded; the platform answered {}", e, e.getPlatform(),
                    e.getResult() == null ? null : e.getResult().platformResponse(), notRecorded);
            throw new EngagementFailure(ErrorCode.INTERNAL_ERROR, "The " + e.getRequest().action() + " was executed on "
                    + e.getPlatform() + " but the gateway could not record it; do not send it again (engagement " + e.getId() + ")",
                    false, null, e.getPlatform(), e.getRequest().target(), null, notRecorded).forEngagement(e.getId());
        }
        LOG.info("{} executed in {} ms", e, e.getExecutionMillis());
        return e;
    }

    /** A pending engagement nobody decided in time: failed APPROVAL_EXPIRED; false when someone decided first. */
    public boolean expire(Engagement e, java.time.Duration after) {
        ErrorBody error = new EngagementFailure(ErrorCode.APPROVAL_EXPIRED,
                "No reviewer decided within " + after + "; the engagement was not executed",
                false, null, e.getPlatform(), e.getRequest().target(), null, null).toErrorBody();
        boolean moved = records.apply(e, StateChange.expired(failed(e, error)));
        if (moved) {
            LOG.info("{} expired after waiting {} for a reviewer", e, after);
        }
        return moved;
    }

    /**
     * Records a failure met on the way (platform error, timeout...) for an engagement this exchange
     * moved; one that another caller owns (e.g. a second reviewer's CONFLICT) is left untouched.
     */
    public Engagement fail(Engagement e, EngagementFailure failure) {
        // a CONFLICT may be about another engagement (the one that holds a reused request_id)
        String about = failure.engagementId() != null ? failure.engagementId() : e.getId();
        EngagementResult result = EngagementResult.failed(about, e.getRequest().requestId(), failure.toErrorBody());
        boolean owned = failure.code() != ErrorCode.CONFLICT && !e.isReplayed()
                && EnumSet.of(EngagementState.RECEIVED, EngagementState.APPROVED, EngagementState.EXECUTING).contains(e.getState());
        if (owned) {
            StateChange change = StateChange.failed(e.getState(), result, executionMillis(e));
            if (!e.isStored()) {
                Engagement written = records.admitWith(e, change);
                if (written != e) {
                    written.setResult(answerFor(written));
                    return written;
                }
                LOG.warn("{} failed: {} {}", e, failure.code(), failure.getMessage());
                return e;
            }
            if (records.apply(e, change)) {
                LOG.warn("{} failed: {} {}", e, failure.code(), failure.getMessage());
                return e;
            }
        }
        e.setResult(result);
        return e;
    }

    /** Appends an event that changes no state (e.g. a failed attempt of a platform call) to the engagement's log. */
    public void note(Engagement e, String eventType, EngagementResult result, Long executionMillis, String actor) {
        records.note(e, eventType, result, executionMillis, actor);
    }

    /** What to answer about an engagement now; one still on its way reads as pending. */
    public EngagementResult answerFor(Engagement e) {
        if (e.getResult() != null && (e.getState().isFinal() || e.getState() == EngagementState.PENDING_APPROVAL
                || e.getState() == EngagementState.OUTCOME_UNKNOWN)) {
            return e.getResult();
        }
        Map<String, Object> notice = new LinkedHashMap<>();
        notice.put("message", switch (e.getState()) {
            case APPROVED -> "Approved; executing";
            case EXECUTING -> "Executing on " + e.getPlatform();
            case OUTCOME_UNKNOWN -> "Outcome unknown (the gateway stopped before " + e.getPlatform()
                    + " answered): a reviewer checks the platform and settles it";
            default -> "Received; being decided";
        });
        notice.put("state", e.getState().dbValue());
        return EngagementResult.pending(e.getId(), e.getRequest().requestId(), notice);
    }

    /** Applies the change; an engagement not written yet is written with it (see EngagementRecords.admitWith). */
    private Engagement move(Engagement e, StateChange change) {
        if (!e.isStored()) {
            return records.admitWith(e, change);
        }
        if (!records.apply(e, change)) {
            throw alreadyDecided(e);
        }
        return e;
    }

    private EngagementFailure alreadyDecided(Engagement e) {
        String state = reads.find(e.getId()).map(x -> x.getState().dbValue()).orElse("unknown");
        return new EngagementFailure(ErrorCode.CONFLICT, "Engagement " + e.getId() + " was already decided (it is " + state + ")",
                false, null, e.getPlatform(), e.getRequest().target(), null, null).forEngagement(e.getId());
    }

    private static EngagementResult failed(Engagement e, ErrorBody error) {
        return EngagementResult.failed(e.getId(), e.getRequest().requestId(), error);
    }

    /** How long the platform call took, or null when none was timed. */
    private static Long executionMillis(Engagement e) {
        return e.getExecutionMillis() < 0 ? null : e.getExecutionMillis();
    }
}

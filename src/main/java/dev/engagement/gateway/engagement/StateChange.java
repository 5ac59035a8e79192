package dev.engagement.gateway.engagement;

import java.util.Set;

import dev.engagement.gateway.contract.EngagementResult;

/**
 * One state change of an engagement and the audit event that records it: applied only while the
 * engagement is in one of the states {@code from}. Made by the factories below, one per transition;
 * what each leaves null the change says nothing about (the row keeps its value).
 */
public record StateChange(String eventType, Set<EngagementState> from, EngagementState to, String decision,
                          Assessment assessment, EngagementResult result, Long executionMillis, String actor) {

    /** The admission itself: the first event of every engagement, written with its row. */
    public static StateChange received() {
        return new StateChange("received", Set.of(), EngagementState.RECEIVED, null, null, null, null, null);
    }

    /** An event that changes no state, e.g. one failed attempt of a retried platform call. */
    public static StateChange noted(NotedEvent event, EngagementState state) {
        return new StateChange(event.type(), Set.of(state), state, null, null, event.result(), event.executionMillis(),
                event.actor());
    }

    /** received → pending_approval: the policy leaves it to a reviewer; pending is what the caller is answered. */
    public static StateChange queuedForReview(Assessment assessment, EngagementResult pending) {
        return new StateChange("queued_for_review", Set.of(EngagementState.RECEIVED), EngagementState.PENDING_APPROVAL,
                "review", assessment, pending, null, null);
    }

    /** received → failed: the policy refuses it (confidence below the threshold). */
    public static StateChange refused(Assessment assessment, EngagementResult refusal) {
        return new StateChange("refused", Set.of(EngagementState.RECEIVED), EngagementState.FAILED, "refuse",
                assessment, refusal, null, null);
    }

    /** received → executing: the policy approves it, and its assessment is recorded as the decision "execute". */
    public static StateChange executionStartedByPolicy(Assessment assessment) {
        return new StateChange("executing", Set.of(EngagementState.RECEIVED), EngagementState.EXECUTING, "execute",
                assessment, null, null, null);
    }

    /** approved → executing: a reviewer's approval, recorded when it was given. */
    public static StateChange executionStartedAfterReview() {
        return new StateChange("executing", Set.of(EngagementState.APPROVED), EngagementState.EXECUTING, null,
                null, null, null, null);
    }

    /** executing → executing: an execution a crash interrupted runs again. */
    public static StateChange executionResumed() {
        return new StateChange("execution_resumed", Set.of(EngagementState.EXECUTING), EngagementState.EXECUTING, null,
                null, null, null, null);
    }

    /**
     * executing → outcome_unknown: a crash lost the platform's answer and its server cannot be asked again
     * safely (it does not honour idempotency keys). The row keeps who approved it (no actor).
     */
    public static StateChange outcomeUnknown(EngagementResult notice) {
        return new StateChange("outcome_unknown", Set.of(EngagementState.EXECUTING), EngagementState.OUTCOME_UNKNOWN, null,
                null, notice, null, null);
    }

    /** outcome_unknown → succeeded or failed: a reviewer checked the platform and says which. */
    public static StateChange settled(EngagementState to, EngagementResult result, String actor) {
        return new StateChange("settled", Set.of(EngagementState.OUTCOME_UNKNOWN), to, null, null, result, null, actor);
    }

    /** executing → succeeded, with the platform's result and how long the execution took (null if unknown). */
    public static StateChange succeeded(EngagementResult result, Long executionMillis) {
        return new StateChange("succeeded", Set.of(EngagementState.EXECUTING), EngagementState.SUCCEEDED, null,
                null, result, executionMillis, null);
    }

    /** from → failed: a failure met on the way (platform error, timeout...). */
    public static StateChange failed(EngagementState from, EngagementResult result, Long executionMillis) {
        return new StateChange("failed", Set.of(from), EngagementState.FAILED, null, null, result, executionMillis, null);
    }

    /** pending_approval → failed: nobody decided in time. */
    public static StateChange expired(EngagementResult result) {
        return new StateChange("expired", Set.of(EngagementState.PENDING_APPROVAL), EngagementState.FAILED, "expired",
                null, result, null, "approval expiry");
    }
}

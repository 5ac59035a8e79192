package dev.engagement.gateway.flow;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Predicate;

import dev.engagement.gateway.contract.EngagementResult;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.engagement.EngagementState;
import dev.engagement.gateway.mcp.PlatformCallFailure;
import dev.engagement.gateway.store.EngagementReads;

/**
 * Engagements a crash left half-way: approved by a reviewer but never started, or executing (the platform
 * may or may not have acted). A timer (routes/maintenance.yaml) takes up those idle longer than any
 * execution can take; a Kafka redelivery takes up its own at once (routes/kafka-intake.yaml). An approved
 * one simply executes. An executing one runs again under the same idempotency key (its id) where the
 * platform's server honours the key, so the platform acts once; elsewhere asking again could act twice,
 * so its outcome becomes unknown, for a reviewer to settle after checking the platform.
 */
public class UnfinishedEngagements {

    private static final List<EngagementState> LEFT_HALF_WAY = List.of(EngagementState.APPROVED, EngagementState.EXECUTING);

    private final EngagementReads reads;
    private final EngagementLifecycle lifecycle;
    private final Predicate<String> honoursIdempotencyKeys;
    private final Duration idleAfter;
    private final int batch;

    /**
     * @param honoursIdempotencyKeys whether a platform's server answers a repeated call under the same key
     *                               without acting again
     * @param idleAfter              how long an engagement stays approved or executing before it counts as left
     *                               by a crash: longer than any execution takes
     * @param batch                  at most this many are taken up per round
     */
    public UnfinishedEngagements(EngagementReads reads, EngagementLifecycle lifecycle, Predicate<String> honoursIdempotencyKeys,
                                 Duration idleAfter, int batch) {
        this.reads = reads;
        this.lifecycle = lifecycle;
        this.honoursIdempotencyKeys = honoursIdempotencyKeys;
        this.idleAfter = idleAfter;
        this.batch = batch;
    }

    /** The engagements approved or executing that nobody has changed for longer than an execution takes. */
    public List<Engagement> idle() {
        return reads.idleSince(LEFT_HALF_WAY, idleCutoff(), batch);
    }

    /**
     * Claims one idle engagement for this instance: an approved one goes on to execute (its start is itself a
     * conditional change); an executing one is resumed or becomes outcome_unknown, only if still idle. One
     * another instance took first comes back replayed: nothing more to do.
     */
    public Engagement takeUpIdle(Engagement e) {
        if (e.getState() == EngagementState.EXECUTING) {
            if (honoursIdempotencyKeys.test(e.getPlatform())) {
                lifecycle.resumeIdle(e, idleCutoff());
            } else {
                lifecycle.outcomeUnknown(e, idleCutoff(), crashed(e));
            }
        }
        return e;
    }

    /**
     * Takes up the engagement of a redelivered Kafka record: one still received is decided now; one
     * executing runs again under the same idempotency key, or becomes outcome_unknown where the server
     * does not honour the key.
     */
    public Engagement takeUp(Engagement e) {
        if (e.getState() == EngagementState.EXECUTING && !honoursIdempotencyKeys.test(e.getPlatform())) {
            if (lifecycle.outcomeUnknown(e, null, crashed(e))) {
                e.setReplayed(false);
            }
            return e;
        }
        return lifecycle.resume(e);
    }

    /**
     * An execution the platform's server did not answer in time, or failed saying it may have acted
     * (effect_unknown): answered as such, never as a failure an agent would send again. Where the server honours
     * idempotency keys it stays executing, and the timer runs it again under the same key once it is idle (the
     * platform acts once); elsewhere its outcome is unknown until a reviewer checks the platform and settles it.
     * So is one already taken up again that fails once more (the platform still away): a reviewer settles it
     * rather than the timer asking on and on.
     */
    public EngagementResult unanswered(Engagement e, PlatformCallFailure failure) {
        if (e.isResumed()) {
            lifecycle.outcomeUnknown(e, null, failure.getMessage() + ", on the second try of a " + e.getAction() + " whose first"
                    + " try may have acted: whether it was executed is unknown. A reviewer checks " + e.getPlatform()
                    + " and settles it; do not send it again");
        } else if (honoursIdempotencyKeys.test(e.getPlatform())) {
            return lifecycle.awaitRetry(e, failure, idleAfter);
        } else {
            lifecycle.outcomeUnknown(e, null, failure.getMessage() + ", and its server cannot be asked again safely (it does not"
                    + " honour idempotency keys): whether the " + e.getAction() + " was executed is unknown. A reviewer checks "
                    + e.getPlatform() + " and settles it; do not send it again");
        }
        return lifecycle.answerFor(e);
    }

    private static String crashed(Engagement e) {
        return "The gateway stopped before " + e.getPlatform() + " answered this " + e.getAction() + ", and its server cannot"
                + " be asked again safely: whether it was executed is unknown. A reviewer checks " + e.getPlatform()
                + " and settles it; do not send it again";
    }

    private OffsetDateTime idleCutoff() {
        return OffsetDateTime.now(ZoneOffset.UTC).minus(idleAfter);
    }
}

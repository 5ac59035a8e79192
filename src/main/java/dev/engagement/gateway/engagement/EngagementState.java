package dev.engagement.gateway.engagement;

import java.util.Locale;

/**
 * The life of an engagement: received → pending_approval → approved/rejected → executing →
 * succeeded/failed (auto-approved ones go received → executing; refused ones received → failed).
 * An execution a crash interrupted, on a platform whose server cannot be asked twice safely, becomes
 * outcome_unknown until a reviewer who checked the platform settles it (succeeded or failed).
 */
public enum EngagementState {
    RECEIVED, PENDING_APPROVAL, APPROVED, REJECTED, EXECUTING, OUTCOME_UNKNOWN, SUCCEEDED, FAILED;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EngagementState of(String dbValue) {
        return valueOf(dbValue.toUpperCase(Locale.ROOT));
    }

    /** The output contract's status for this state: success, pending or failed. */
    public String contractStatus() {
        return switch (this) {
            case SUCCEEDED -> "success";
            case FAILED, REJECTED -> "failed";
            default -> "pending";
        };
    }

    /** Left half-way by a crash if nobody is working on it: received (not yet decided) or executing. */
    public boolean isUnfinished() {
        return this == RECEIVED || this == EXECUTING;
    }

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == REJECTED;
    }
}

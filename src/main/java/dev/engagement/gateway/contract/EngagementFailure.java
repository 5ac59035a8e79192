package dev.engagement.gateway.contract;

import java.util.List;

/**
 * Any failure a user can cause or meet, already phrased in the contract's terms. Thrown by the
 * beans the routes call; the routes' one error handler turns it into a failed result.
 */
public class EngagementFailure extends RuntimeException {

    private final ErrorCode code;
    private final boolean retryable;
    private final Long retryAfter;
    private final String platform;
    private final String target;
    private final List<Violation> violations;
    private String engagementId;

    public EngagementFailure(ErrorCode code, String message) {
        this(code, message, code.retryable(), null, null, null, null, null);
    }

    public EngagementFailure(ErrorCode code, String message, boolean retryable, Long retryAfter,
                             String platform, String target, List<Violation> violations, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
        this.platform = platform;
        this.target = target;
        this.violations = violations == null || violations.isEmpty() ? null : List.copyOf(violations);
    }

    public static EngagementFailure validation(List<Violation> violations) {
        String message = violations.size() == 1
                ? "The request violates the contract: " + describe(violations.get(0))
                : "The request violates the contract in " + violations.size() + " places";
        return new EngagementFailure(ErrorCode.VALIDATION_FAILED, message, false, null, null, null, violations, null);
    }

    public static EngagementFailure about(ErrorCode code, String message, String platform, String target) {
        return new EngagementFailure(code, message, code.retryable(), null, platform, target, null, null);
    }

    private static String describe(Violation v) {
        return (v.pointer().isEmpty() ? "(document)" : v.pointer()) + " " + v.message();
    }

    /** Names the engagement the failure is about, for answers given outside its own flow (e.g. CONFLICT). */
    public EngagementFailure forEngagement(String engagementId) {
        this.engagementId = engagementId;
        return this;
    }

    public String engagementId() {
        return engagementId;
    }

    public boolean isRetryable() {
        return retryable;
    }

    public Long retryAfter() {
        return retryAfter;
    }

    public ErrorCode code() {
        return code;
    }

    public ErrorBody toErrorBody() {
        return new ErrorBody(code, getMessage(), retryable, retryAfter, platform, target, violations);
    }
}

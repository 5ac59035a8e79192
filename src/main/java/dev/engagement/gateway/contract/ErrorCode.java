package dev.engagement.gateway.contract;

/**
 * The stable error codes of contract.json ($defs.ErrorCode), each with the HTTP status that
 * mirrors it and whether the same request may succeed later.
 */
public enum ErrorCode {
    VALIDATION_FAILED(400, false),
    UNSUPPORTED_ACTION(422, false),
    CONTENT_TOO_LONG(422, false),
    INVALID_TARGET(422, false),
    RATE_LIMIT_EXCEEDED(429, true),
    PLATFORM_UNAVAILABLE(503, true),
    PLATFORM_ERROR(502, true),
    // The platform refuses this action for this account (e.g. X replies only where the author mentioned or
    // quoted the account): the request is well formed, asking again will not help.
    NOT_PERMITTED_BY_PLATFORM(422, false),
    // The gateway's own credentials for the platform were refused (expired or revoked token): an operator must
    // fix them; the agent's request was fine.
    PLATFORM_AUTH_FAILED(502, false),
    REJECTED_BY_POLICY(422, false),
    // The reviewer's call itself succeeded: the answer is 200 with status failed.
    REJECTED_BY_REVIEWER(200, false),
    UNAUTHORIZED(401, false),
    FORBIDDEN(403, false),
    NOT_FOUND(404, false),
    METHOD_NOT_ALLOWED(405, false),
    PAYLOAD_TOO_LARGE(413, false),
    UNSUPPORTED_MEDIA_TYPE(415, false),
    CONFLICT(409, false),
    APPROVAL_EXPIRED(410, false),
    // a reply or comment to draft (engagement.drafting.enabled): the language model's server did not answer in time, is
    // busy (the gateway's bound on drafts in flight), failing (5xx, 429, circuit open) or unreachable; nothing was done
    DRAFTING_UNAVAILABLE(503, true),
    // the language model's server refused the request (a 4xx such as a wrong API key or model name: an operator must fix
    // the settings) or answered no usable text; nothing was done
    DRAFTING_FAILED(502, false),
    // the gateway's own database cannot be reached or written: nothing was done, the same request may pass later
    SERVICE_UNAVAILABLE(503, true),
    INTERNAL_ERROR(500, true);

    private final int httpStatus;
    private final boolean retryable;

    ErrorCode(int httpStatus, boolean retryable) {
        this.httpStatus = httpStatus;
        this.retryable = retryable;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public boolean retryable() {
        return retryable;
    }
}

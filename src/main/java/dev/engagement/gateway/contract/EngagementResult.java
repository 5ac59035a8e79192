package dev.engagement.gateway.contract;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** $defs.EngagementResult: every answer the gateway gives about an engagement, errors included. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EngagementResult(
        String status,
        @JsonProperty("engagement_id") String engagementId,
        @JsonProperty("request_id") String requestId,
        @JsonProperty("platform_response") Map<String, Object> platformResponse,
        ErrorBody error) {

    public static final String SUCCESS = "success";
    public static final String PENDING = "pending";
    public static final String FAILED = "failed";

    public static EngagementResult success(String engagementId, String requestId, Map<String, Object> platformResponse) {
        return new EngagementResult(SUCCESS, engagementId, requestId, platformResponse, null);
    }

    public static EngagementResult pending(String engagementId, String requestId, Map<String, Object> notice) {
        return new EngagementResult(PENDING, engagementId, requestId, notice, null);
    }

    public static EngagementResult failed(String engagementId, String requestId, ErrorBody error) {
        return new EngagementResult(FAILED, engagementId, requestId, null, error);
    }

    /** The HTTP status that mirrors this result when it answers a submission or a decision. */
    @JsonIgnore
    public int httpStatus() {
        return switch (status) {
            case SUCCESS -> 200;
            case PENDING -> 202;
            default -> error == null ? 500 : error.code().httpStatus();
        };
    }
}

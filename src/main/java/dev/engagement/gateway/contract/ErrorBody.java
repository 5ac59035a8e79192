package dev.engagement.gateway.contract;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code error} object of the output contract. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(
        ErrorCode code,
        String message,
        boolean retryable,
        @JsonProperty("retry_after") Long retryAfter,
        String platform,
        String target,
        List<Violation> violations) {
}

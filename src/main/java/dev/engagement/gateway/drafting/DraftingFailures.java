package dev.engagement.gateway.drafting;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.apache.camel.http.base.HttpOperationFailedException;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.ErrorCode;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.flow.FailureResponder;

/**
 * Why there is no draft, as a contract failure: DRAFTING_UNAVAILABLE (retryable: no answer in time, busy, 429, 5xx,
 * unreachable, circuit open) or DRAFTING_FAILED (a 4xx refusal, an answer with no usable text). The model server's
 * own error message is quoted when it gave one; the request's key never is.
 */
class DraftingFailures {

    private final LanguageModel model;
    private final ObjectMapper mapper;
    private final long openWaitSeconds;

    DraftingFailures(LanguageModel model, ObjectMapper mapper, long openWaitSeconds) {
        this.model = model;
        this.mapper = mapper;
        this.openWaitSeconds = openWaitSeconds;
    }

    /** Why the call gave no answer, in the contract's terms. */
    EngagementFailure of(Engagement engagement, Throwable caught) {
        for (Throwable t = caught; t != null; t = t.getCause()) {
            if (t instanceof EngagementFailure f) {
                return f;
            }
            if (t instanceof HttpOperationFailedException http) {
                return refusal(engagement, http);
            }
            if (t instanceof DraftChecker.AnswerTooLarge) {
                return failed(engagement, "The language model's server answered more than " + DraftChecker.MAX_ANSWER_BYTES
                        + " bytes for one draft; the answer was not read", true, t);
            }
            // the breaker's timeout, or the HTTP client's own at the same moment
            if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException) {
                return unavailable(engagement, "did not answer within " + model.timeoutMs() + " ms (engagement.drafting.timeout-ms)",
                        null, t);
            }
            if (t instanceof BulkheadFullException || t instanceof RejectedExecutionException) {
                return unavailable(engagement, "has as many drafts in flight as the gateway allows (engagement.drafting.bulkhead);"
                        + " try again shortly", 1L, null);
            }
            if (t instanceof CallNotPermittedException) {
                return unavailable(engagement, "is failing or too slow; drafts are paused (circuit open) and will be tried again"
                        + " shortly", Math.max(1, openWaitSeconds), t);
            }
            if (t instanceof IOException) {
                return unavailable(engagement, "could not be reached at " + model.baseUrl() + ": " + t.getMessage(), null, t);
            }
        }
        return FailureResponder.asFailure(caught);
    }

    /** A 4xx or 5xx of the model's server: its own error message, when it gave one, never the request's key. */
    private EngagementFailure refusal(Engagement engagement, HttpOperationFailedException http) {
        int status = http.getStatusCode();
        String said = serverMessage(http.getResponseBody());
        if (status == 429) {
            return unavailable(engagement, "answered 429 (rate limit)" + said, retryAfter(http), http);
        }
        if (status >= 500) {
            return unavailable(engagement, "answered " + status + said, null, http);
        }
        String hint = switch (status) {
            case 401, 403 -> " (check the API key in the environment variable " + model.apiKeyEnv() + ")";
            case 404 -> " (check engagement.drafting.base-url and engagement.drafting.model)";
            default -> "";
        };
        return failed(engagement, "The language model's server refused the draft request: " + status + said + hint, false, http);
    }

    private String serverMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode error = mapper.readTree(body).path("error");
            String message = error.isTextual() ? error.asText() : error.path("message").asText("");
            return message.isBlank() ? "" : ": " + excerpt(message);
        } catch (IOException e) {
            return ": " + excerpt(body);
        }
    }

    private static Long retryAfter(HttpOperationFailedException http) {
        String value = http.getResponseHeaders() == null ? null : http.getResponseHeaders().entrySet().stream()
                .filter(h -> h.getKey().equalsIgnoreCase("Retry-After")).map(java.util.Map.Entry::getValue).findFirst().orElse(null);
        try {
            return value == null ? null : Math.max(1, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private EngagementFailure unavailable(Engagement e, String what, Long retryAfter, Throwable cause) {
        return new EngagementFailure(ErrorCode.DRAFTING_UNAVAILABLE, "No draft: the language model " + model.name() + " " + what,
                true, retryAfter, e.getPlatform(), e.getRequest().target(), null, cause);
    }

    EngagementFailure failed(Engagement e, String message, boolean retryable, Throwable cause) {
        return new EngagementFailure(ErrorCode.DRAFTING_FAILED, message, retryable, null, e.getPlatform(), e.getRequest().target(),
                null, cause);
    }

    static String excerpt(String text) {
        if (text == null) {
            return "(nothing)";
        }
        String t = text.strip().replaceAll("\\s+", " ");
        return t.length() > 200 ? t.substring(0, 197) + "..." : t;
    }
}

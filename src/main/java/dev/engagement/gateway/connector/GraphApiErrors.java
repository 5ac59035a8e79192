package dev.engagement.gateway.connector;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engagement.gateway.mcpserver.ToolError;

/**
 * How Meta's Graph APIs (Threads, Instagram) say no: {@code {"error": {"message", "type", "code", "error_subcode",
 * "is_transient", "fbtrace_id"}}}, mostly with HTTP 400 whatever the cause, so the error's code decides: 190 (or
 * HTTP 401) an expired or revoked token; 4, 17, 32, 613 and 80001-80014 rate limits, whose wait is the
 * {@code estimated_time_to_regain_access} (minutes) of the {@code x-business-use-case-usage} header; 10 and
 * 200-299 missing permissions; 100 with subcode 33 (or HTTP 404) an object that does not exist or cannot be seen.
 */
public final class GraphApiErrors implements ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(GraphApiErrors.class);
    private static final Set<Integer> RATE_LIMITS = Set.of(4, 17, 32, 613);
    /** Meta's usage windows are an hour: without an estimate, that is the wait. */
    static final long DEFAULT_WAIT_SECONDS = 3600;

    private final String apiName;
    private final String tokenVariable;
    private final ObjectMapper mapper;

    public GraphApiErrors(String apiName, String tokenVariable, ObjectMapper mapper) {
        this.apiName = apiName;
        this.tokenVariable = tokenVariable;
        this.mapper = mapper;
    }

    @Override
    public ToolError read(ApiResponse r, String what) {
        JsonNode error = r.body().path("error");
        int code = error.path("code").asInt(-1);
        int subcode = error.path("error_subcode").asInt(-1);
        String reason = error.path("message").asText(r.body().path("detail").asText("HTTP " + r.status()));
        if (r.status() == 401 || code == 190) {
            LOG.error("{} refused the access token (code {}, {}): renew the token in {}", apiName, code, reason, tokenVariable);
            return new ToolError("AUTH_FAILED", apiName + " refused the gateway's credentials (" + reason + "); an operator must renew "
                    + tokenVariable, null);
        }
        if (r.status() == 429 || RATE_LIMITS.contains(code) || code >= 80001 && code <= 80014) {
            long wait = regainAccessSeconds(r);
            return new ToolError("RATE_LIMITED", apiName + " rate limit reached to " + what + " (" + reason + "); retry in " + wait + " s", wait);
        }
        if (code == 10 || code >= 200 && code <= 299) {
            return new ToolError("NOT_PERMITTED", apiName + " does not permit this account to " + what + ": " + reason, null);
        }
        if (r.status() == 404 || code == 100 && subcode == 33) {
            return new ToolError("NOT_FOUND", apiName + " found nothing to " + what + " (" + reason + ")", null);
        }
        if (r.status() >= 500 || error.path("is_transient").asBoolean(false) || code == 1 || code == 2) {
            return new ToolError("UNAVAILABLE", apiName + " failed to " + what + " (" + reason + ")", null);
        }
        return new ToolError("INVALID_ARGUMENT", apiName + " refused to " + what + " (" + r.status() + ", code " + code + ": " + reason + ")", null);
    }

    /** The longest estimated_time_to_regain_access (minutes) in x-business-use-case-usage, in seconds; an hour if none. */
    private long regainAccessSeconds(ApiResponse r) {
        long minutes = -1;
        String usage = r.headers().firstValue("x-business-use-case-usage").orElse(null);
        if (usage != null) {
            try {
                for (JsonNode perAccount : mapper.readTree(usage)) {
                    for (JsonNode entry : perAccount) {
                        minutes = Math.max(minutes, entry.path("estimated_time_to_regain_access").asLong(-1));
                    }
                }
            } catch (java.io.IOException e) {
                LOG.debug("{}: unreadable x-business-use-case-usage header", apiName);
            }
        }
        return minutes > 0 ? minutes * 60 : DEFAULT_WAIT_SECONDS;
    }
}

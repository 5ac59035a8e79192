package dev.engagement.gateway.connector.x;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engagement.gateway.connector.ApiErrors;
import dev.engagement.gateway.connector.ApiResponse;
import dev.engagement.gateway.mcpserver.ToolError;

/**
 * X API v2's answers that say no, in the connector's tool-error codes. X answers a problem document
 * ({@code {"title", "detail", "type", "status"}}) or an {@code errors} array; a 429 carries
 * {@code x-rate-limit-reset} (epoch seconds).
 */
final class XApiErrors implements ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(XApiErrors.class);
    /** X's per-user windows are 15 minutes: without a reset header, that is the wait. */
    static final long DEFAULT_WAIT_SECONDS = 900;

    @Override
    public ToolError read(ApiResponse r, String what) {
        String reason = reason(r.body());
        int status = r.status();
        if (status == 429) {
            long reset = r.longHeader("x-rate-limit-reset").orElse(-1);
            long wait = reset > 0 ? Math.max(1, reset - Instant.now().getEpochSecond()) : DEFAULT_WAIT_SECONDS;
            return new ToolError("RATE_LIMITED", "X API rate limit exceeded to " + what + " (" + reason + "); the window resets in "
                    + wait + " s", wait);
        }
        if (status == 401) {
            // the operator's fix, said where an operator looks; the token itself is never written anywhere
            LOG.error("X refused the user access token ({} {}): renew the OAuth 2.0 user token in {} (scopes tweet.read tweet.write "
                    + "users.read like.write follows.write)", status, reason, XConnector.TOKEN);
            return new ToolError("AUTH_FAILED", "X refused the gateway's credentials (401 " + reason + "); an operator must renew "
                    + XConnector.TOKEN, null);
        }
        if (status == 403) {
            return new ToolError("NOT_PERMITTED", "X does not permit this account to " + what + ": " + reason, null);
        }
        if (status == 404) {
            return new ToolError("NOT_FOUND", "X found nothing to " + what + " (" + reason + ")", null);
        }
        if (status >= 500) {
            return new ToolError("UNAVAILABLE", "X API failed to " + what + " (" + status + " " + reason + ")", null);
        }
        return new ToolError("INVALID_ARGUMENT", "X API refused to " + what + " (" + status + " " + reason + ")", null);
    }

    /** X's own words: the problem's detail, else its title, else the first error's message. */
    static String reason(JsonNode body) {
        for (String field : new String[] {"detail", "title"}) {
            if (body.hasNonNull(field)) {
                return body.get(field).asText();
            }
        }
        JsonNode first = body.path("errors").path(0);
        if (first.hasNonNull("detail")) {
            return first.get("detail").asText();
        }
        if (first.hasNonNull("message")) {
            return first.get("message").asText();
        }
        return "no reason given";
    }
}

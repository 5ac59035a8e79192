package dev.engagement.gateway.review;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;

import org.apache.camel.Exchange;

import dev.engagement.gateway.contract.Violation;

/**
 * The query parameters of the paged lists (GET /engagements, GET /approvals): filters, limit and the
 * cursor, newest first by creation time and id. A bad value is a violation (400), never a 500.
 */
final class PageQuery {

    static final int MAX_LIMIT = 500;

    private PageQuery() {
    }

    static String param(Exchange exchange, String name) {
        String v = exchange.getMessage().getHeader(name, String.class);
        return v == null || v.isBlank() ? null : v.trim();
    }

    static String oneOf(Exchange exchange, String name, List<String> allowed, List<Violation> violations) {
        String v = param(exchange, name);
        if (v != null && !allowed.contains(v)) {
            violations.add(new Violation("/" + name, "must be one of " + allowed));
            return null;
        }
        return v;
    }

    static int limit(String v, int defaultLimit, List<Violation> violations) {
        if (v == null) {
            return defaultLimit;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        violations.add(new Violation("/limit", "must be a whole number from 1 to " + MAX_LIMIT));
        return defaultLimit;
    }

    /** The cursor a page gave out: {created_at, engagement_id} of its last item; null when there is none. */
    static String[] cursor(String v, List<Violation> violations) {
        if (v == null) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(v), StandardCharsets.UTF_8).split("\\|", 2);
            OffsetDateTime.parse(parts[0]);
            if (parts.length == 2 && !parts[1].isEmpty()) {
                return parts;
            }
        } catch (RuntimeException ignored) {
            // reported below
        }
        violations.add(new Violation("/cursor", "is not a cursor this gateway gave out (use next_cursor as is)"));
        return null;
    }

    /** The next page starts after this item (the last of the page). */
    static String nextCursor(OffsetDateTime createdAt, String engagementId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((createdAt + "|" + engagementId).getBytes(StandardCharsets.UTF_8));
    }
}

package dev.engagement.gateway.review;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.Exchange;

import dev.engagement.gateway.contract.ContractValidator;
import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.ErrorCode;
import dev.engagement.gateway.contract.Violation;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.security.AccessGuard;
import dev.engagement.gateway.flow.EngagementLifecycle;
import dev.engagement.gateway.engagement.EngagementState;
import dev.engagement.gateway.store.EngagementStore;

/** The reviewers' side: the approval queue, and approve/reject decisions that happen once. */
public class ApprovalDesk {

    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9_\\-]{1,64}$");

    private final EngagementStore store;
    private final EngagementLifecycle lifecycle;
    private final ContractValidator json;
    private final int listLimit;
    private final Duration expireAfter;

    public ApprovalDesk(EngagementStore store, EngagementLifecycle lifecycle, ContractValidator json, int listLimit,
                        Duration expireAfter) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.json = json;
        this.listLimit = listLimit;
        this.expireAfter = expireAfter;
    }

    /** Moves every pending engagement older than the expiry to failed APPROVAL_EXPIRED; returns how many. */
    public int expireOverdue() {
        int n = 0;
        for (Engagement e : store.pendingCreatedBefore(OffsetDateTime.now(ZoneOffset.UTC).minus(expireAfter), 1000)) {
            if (lifecycle.expire(e, expireAfter)) {
                n++;
            }
        }
        return n;
    }

    /** {@code GET /approvals?status=pending|approved|rejected}: newest first. */
    public List<Map<String, Object>> list(String status) {
        String wanted = status == null || status.isBlank() ? "pending" : status.trim().toLowerCase(Locale.ROOT);
        EngagementState state = switch (wanted) {
            case "pending" -> EngagementState.PENDING_APPROVAL;
            case "approved" -> EngagementState.APPROVED;
            case "rejected" -> EngagementState.REJECTED;
            default -> throw EngagementFailure.validation(List.of(new Violation("/status",
                    "status must be pending, approved or rejected")));
        };
        List<Map<String, Object>> out = new ArrayList<>();
        for (Engagement e : store.inState(state, listLimit)) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("engagement_id", e.getId());
            item.put("status", wanted);
            item.put("request", e.getRequest());
            item.put("confidence", e.getConfidence());
            item.put("reasons", e.getAssessment() == null ? List.of() : e.getAssessment().reasons());
            item.put("created_at", e.getCreatedAt().toString());
            out.add(item);
        }
        return out;
    }

    /** The engagement named in the path, or NOT_FOUND; a malformed id is simply not found. */
    public Engagement load(String engagementId) {
        if (engagementId == null || !ID.matcher(engagementId).matches()) {
            throw notFound(engagementId);
        }
        return store.find(engagementId).orElseThrow(() -> notFound(engagementId));
    }

    public Engagement approve(Exchange exchange) {
        Decision d = decision(exchange);
        Engagement e = decidable(exchange);
        return lifecycle.approve(e, d.actor(exchange), d.note());
    }

    public Engagement reject(Exchange exchange) {
        Decision d = decision(exchange);
        Engagement e = decidable(exchange);
        return lifecycle.reject(e, d.actor(exchange), d.note());
    }

    /** The engagement to decide; one whose time ran out expires now instead of being decided late. */
    private Engagement decidable(Exchange exchange) {
        Engagement e = load(exchange.getMessage().getHeader("id", String.class));
        if (e.getState() == EngagementState.PENDING_APPROVAL
                && e.getCreatedAt().isBefore(OffsetDateTime.now(ZoneOffset.UTC).minus(expireAfter))
                && lifecycle.expire(e, expireAfter)) {
            throw new EngagementFailure(ErrorCode.APPROVAL_EXPIRED, "Engagement " + e.getId()
                    + " waited longer than " + expireAfter + " and expired; it was not executed").forEngagement(e.getId());
        }
        return e;
    }

    private record Decision(String reviewer, String note) {
        /** The reviewer's name and the fingerprint of the token that made the call, for the audit trail. */
        String actor(Exchange exchange) {
            String token = exchange.getMessage().getHeader(AccessGuard.TOKEN_HEADER, String.class);
            return token == null ? reviewer : reviewer + " [token " + token + "]";
        }
    }

    /** The decision body {"reviewer": "...", "note": "..."}; an empty body is allowed. */
    private Decision decision(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return new Decision("unnamed reviewer", null);
        }
        JsonNode node = json.parse(body);
        List<Violation> violations = new ArrayList<>();
        if (!node.isObject()) {
            violations.add(new Violation("", "expected a JSON object {\"reviewer\": \"...\", \"note\": \"...\"}"));
        } else {
            check(node, "reviewer", 200, violations);
            check(node, "note", 2000, violations);
        }
        if (!violations.isEmpty()) {
            throw EngagementFailure.validation(violations);
        }
        String reviewer = node.path("reviewer").asText("").trim();
        String note = node.hasNonNull("note") ? node.get("note").asText() : null;
        return new Decision(reviewer.isEmpty() ? "unnamed reviewer" : reviewer, note);
    }

    private static void check(JsonNode node, String field, int max, List<Violation> violations) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return;
        }
        if (!v.isTextual()) {
            violations.add(new Violation("/" + field, "must be a string"));
        } else if (v.asText().length() > max) {
            violations.add(new Violation("/" + field, "must be at most " + max + " characters"));
        }
    }

    private static EngagementFailure notFound(String id) {
        return EngagementFailure.about(ErrorCode.NOT_FOUND, "No engagement with id '" + id + "'", null, null);
    }
}

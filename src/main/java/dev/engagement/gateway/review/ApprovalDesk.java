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

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.ErrorCode;
import dev.engagement.gateway.contract.Violation;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.engagement.EngagementState;
import dev.engagement.gateway.flow.EngagementLifecycle;
import dev.engagement.gateway.store.EngagementReads;

/**
 * The reviewers' queue (routes/approvals.yaml): which rows {@code GET /approvals} reads and how they
 * are answered, the engagement a path names, and the expiry of what nobody decided in time.
 */
public class ApprovalDesk {

    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9_\\-]{1,64}$");

    private final EngagementReads reads;
    private final EngagementLifecycle lifecycle;
    private final Rows rows;
    private final int listLimit;
    private final Duration expireAfter;

    public ApprovalDesk(EngagementReads reads, EngagementLifecycle lifecycle, ObjectMapper mapper, int listLimit,
                        Duration expireAfter) {
        this.reads = reads;
        this.lifecycle = lifecycle;
        this.rows = new Rows(mapper);
        this.listLimit = listLimit;
        this.expireAfter = expireAfter;
    }

    /** Moves every pending engagement older than the expiry to failed APPROVAL_EXPIRED; returns how many. */
    public int expireOverdue() {
        int n = 0;
        for (Engagement e : reads.pendingCreatedBefore(OffsetDateTime.now(ZoneOffset.UTC).minus(expireAfter), 1000)) {
            if (lifecycle.expire(e, expireAfter)) {
                n++;
            }
        }
        return n;
    }

    /** {@code ?status=pending|approved|rejected} (pending by default) as the queue query's state and limit headers. */
    public void queueQuery(Exchange exchange) {
        String status = exchange.getMessage().getHeader("status", String.class);
        String wanted = status == null || status.isBlank() ? "pending" : status.trim().toLowerCase(Locale.ROOT);
        EngagementState state = switch (wanted) {
            case "pending" -> EngagementState.PENDING_APPROVAL;
            case "approved" -> EngagementState.APPROVED;
            case "rejected" -> EngagementState.REJECTED;
            default -> throw EngagementFailure.validation(List.of(new Violation("/status",
                    "status must be pending, approved or rejected")));
        };
        exchange.getMessage().setHeader("status", wanted);
        exchange.getMessage().setHeader("state", state.dbValue());
        exchange.getMessage().setHeader("limit", listLimit);
    }

    /** The queue's rows as the API answers them: engagement_id, status, request, confidence, reasons, created_at. */
    public List<Map<String, Object>> queue(List<Map<String, Object>> found, Exchange exchange) {
        String status = exchange.getMessage().getHeader("status", String.class);
        List<Map<String, Object>> out = new ArrayList<>(found.size());
        for (Map<String, Object> row : found) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("engagement_id", Rows.text(row, "engagement_id"));
            item.put("status", status);
            item.put("request", rows.json(row, "request_json"));
            Double confidence = Rows.number(row, "confidence");
            item.put("confidence", confidence == null ? 0.0 : confidence);
            Object reasons = rows.json(row, "reasons_json");
            item.put("reasons", reasons == null ? List.of() : reasons);
            item.put("created_at", Rows.time(row, "created_at").toString());
            out.add(item);
        }
        return out;
    }

    /** The engagement named in the path, or NOT_FOUND; a malformed id is simply not found. */
    public Engagement load(String engagementId) {
        if (engagementId == null || !ID.matcher(engagementId).matches()) {
            throw notFound(engagementId);
        }
        return reads.find(engagementId).orElseThrow(() -> notFound(engagementId));
    }

    private static EngagementFailure notFound(String id) {
        return EngagementFailure.about(ErrorCode.NOT_FOUND, "No engagement with id '" + id + "'", null, null);
    }
}

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
import org.apache.camel.Message;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.ErrorCode;
import dev.engagement.gateway.contract.Violation;
import dev.engagement.gateway.contract.Vocabulary;
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
    private final Vocabulary vocabulary;
    private static final OffsetDateTime END_OF_TIME = OffsetDateTime.of(9999, 12, 31, 0, 0, 0, 0, ZoneOffset.UTC);
    private final Duration expireAfter;

    public ApprovalDesk(EngagementReads reads, EngagementLifecycle lifecycle, ObjectMapper mapper, Vocabulary vocabulary, int listLimit,
                        Duration expireAfter) {
        this.vocabulary = vocabulary;
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

    /**
     * {@code ?status=pending|approved|rejected|outcome_unknown} (pending by default), {@code &platform=&action=}, {@code &limit=}
     * (engagement.approvals.list-limit by default, at most 500) and {@code &cursor=} (a page's next_cursor) as the
     * queue query's headers; one row more than the limit is read, to know whether another page follows.
     */
    public void queueQuery(Exchange exchange) {
        List<Violation> violations = new ArrayList<>();
        String status = PageQuery.param(exchange, "status");
        String wanted = status == null ? "pending" : status.toLowerCase(Locale.ROOT);
        EngagementState state = switch (wanted) {
            case "pending" -> EngagementState.PENDING_APPROVAL;
            case "approved" -> EngagementState.APPROVED;
            case "rejected" -> EngagementState.REJECTED;
            case "outcome_unknown" -> EngagementState.OUTCOME_UNKNOWN;
            default -> {
                violations.add(new Violation("/status", "status must be pending, approved, rejected or outcome_unknown"));
                yield EngagementState.PENDING_APPROVAL;
            }
        };
        String platform = PageQuery.oneOf(exchange, "platform", vocabulary.platforms(), violations);
        String action = PageQuery.oneOf(exchange, "action", vocabulary.actions(), violations);
        int limit = PageQuery.limit(PageQuery.param(exchange, "limit"), listLimit, violations);
        String[] cursor = PageQuery.cursor(PageQuery.param(exchange, "cursor"), violations);
        if (!violations.isEmpty()) {
            throw EngagementFailure.validation(violations);
        }
        Message m = exchange.getMessage();
        m.setHeader("status", wanted);
        m.setHeader("state", state.dbValue());
        m.setHeader("platform", platform == null ? "" : platform);
        m.setHeader("action", action == null ? "" : action);
        m.setHeader("limit", limit);
        m.setHeader("fetch", limit + 1);
        // the first page starts before anything: after the end of time, and after every id
        m.setHeader("beforeTime", cursor == null ? END_OF_TIME : OffsetDateTime.parse(cursor[0]));
        m.setHeader("beforeId", cursor == null ? "~" : cursor[1]);
    }

    /**
     * One page of the queue: {"items": [engagement_id, status, request, confidence, reasons, created_at],
     * "next_cursor": ...} (next_cursor only when another page follows).
     */
    public Map<String, Object> queue(List<Map<String, Object>> found, Exchange exchange) {
        String status = exchange.getMessage().getHeader("status", String.class);
        int limit = exchange.getMessage().getHeader("limit", Integer.class);
        List<Map<String, Object>> items = new ArrayList<>(Math.min(found.size(), limit));
        for (Map<String, Object> row : found.subList(0, Math.min(found.size(), limit))) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("engagement_id", Rows.text(row, "engagement_id"));
            item.put("status", status);
            item.put("request", rows.json(row, "request_json"));
            Double confidence = Rows.number(row, "confidence");
            item.put("confidence", confidence == null ? 0.0 : confidence);
            Object reasons = rows.json(row, "reasons_json");
            item.put("reasons", reasons == null ? List.of() : reasons);
            item.put("created_at", Rows.time(row, "created_at").toString());
            items.add(item);
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", items);
        if (found.size() > limit) {
            Map<String, Object> last = found.get(limit - 1);
            page.put("next_cursor", PageQuery.nextCursor(Rows.time(last, "created_at"), Rows.text(last, "engagement_id")));
        }
        return page;
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

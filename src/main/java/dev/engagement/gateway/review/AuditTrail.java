package dev.engagement.gateway.review;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.Violation;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.flow.EngagementLifecycle;
import dev.engagement.gateway.engagement.EngagementState;
import dev.engagement.gateway.contract.Vocabulary;
import dev.engagement.gateway.store.EngagementReads;

/**
 * The queryable audit log: engagements by platform, action, status and time with paging, one
 * engagement's history, and counts over a window (the skill's "monitor engagement across platforms").
 * Query parameters are validated; anything malformed is a 400 naming the parameter.
 */
public class AuditTrail {

    private static final int DEFAULT_LIMIT = 50;

    private final EngagementReads reads;
    private final EngagementLifecycle lifecycle;
    private final Vocabulary vocabulary;
    private final Rows rows;

    public AuditTrail(EngagementReads reads, EngagementLifecycle lifecycle, ObjectMapper mapper, Vocabulary vocabulary) {
        this.reads = reads;
        this.lifecycle = lifecycle;
        this.vocabulary = vocabulary;
        this.rows = new Rows(mapper);
    }

    /** {@code GET /engagements?platform=&action=&status=&since=&limit=&cursor=}. */
    public Map<String, Object> search(Exchange exchange) {
        List<Violation> violations = new ArrayList<>();
        String platform = PageQuery.oneOf(exchange, "platform", vocabulary.platforms(), violations);
        String action = PageQuery.oneOf(exchange, "action", vocabulary.actions(), violations);
        List<EngagementState> states = states(PageQuery.param(exchange, "status"), violations);
        OffsetDateTime since = time(exchange, "since", violations);
        int limit = PageQuery.limit(PageQuery.param(exchange, "limit"), DEFAULT_LIMIT, violations);
        String[] cursor = PageQuery.cursor(PageQuery.param(exchange, "cursor"), violations);
        if (!violations.isEmpty()) {
            throw EngagementFailure.validation(violations);
        }
        EngagementReads.Page page = reads.search(new EngagementReads.Search(platform, action, states, since,
                cursor == null ? null : OffsetDateTime.parse(cursor[0]), cursor == null ? null : cursor[1], limit));
        List<Map<String, Object>> items = new ArrayList<>();
        page.items().forEach(e -> items.add(summary(e)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        if (page.more()) {
            Engagement last = page.items().get(page.items().size() - 1);
            out.put("next_cursor", PageQuery.nextCursor(last.getCreatedAt(), last.getId()));
        }
        return out;
    }

    /** {@code GET /engagements/stats?since=&until=}: the window (the last 24 h by default) as the count query's headers. */
    public void statsWindow(Exchange exchange) {
        List<Violation> violations = new ArrayList<>();
        OffsetDateTime until = time(exchange, "until", violations);
        OffsetDateTime since = time(exchange, "since", violations);
        if (!violations.isEmpty()) {
            throw EngagementFailure.validation(violations);
        }
        until = until == null ? OffsetDateTime.now(ZoneOffset.UTC) : until;
        exchange.getMessage().setHeader("until", until);
        exchange.getMessage().setHeader("since", since == null ? until.minusHours(24) : since);
    }

    /** The counts by platform, action and state over the window, totalled by platform, action, status and state. */
    public Map<String, Object> stats(List<Map<String, Object>> counts, Exchange exchange) {
        Map<String, Long> byPlatform = new TreeMap<>();
        Map<String, Long> byAction = new TreeMap<>();
        Map<String, Long> byStatus = new TreeMap<>();
        Map<String, Long> byState = new TreeMap<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        long total = 0;
        for (Map<String, Object> row : counts) {
            long n = Rows.count(row, "n");
            String state = Rows.text(row, "status");
            String status = EngagementState.of(state).contractStatus();
            byPlatform.merge(Rows.text(row, "platform"), n, Long::sum);
            byAction.merge(Rows.text(row, "action"), n, Long::sum);
            byStatus.merge(status, n, Long::sum);
            byState.merge(state, n, Long::sum);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("platform", Rows.text(row, "platform"));
            r.put("action", Rows.text(row, "action"));
            r.put("state", state);
            r.put("count", n);
            r.put("status", status);
            rows.add(r);
            total += n;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("since", exchange.getMessage().getHeader("since", OffsetDateTime.class).toString());
        out.put("until", exchange.getMessage().getHeader("until", OffsetDateTime.class).toString());
        out.put("total", total);
        out.put("by_platform", byPlatform);
        out.put("by_action", byAction);
        out.put("by_status", byStatus);
        out.put("by_state", byState);
        out.put("counts", rows);
        return out;
    }

    /** {@code GET /engagements/{id}/events}: the event rows as the API answers them, oldest first. */
    public List<Map<String, Object>> events(List<Map<String, Object>> found) {
        List<Map<String, Object>> out = new ArrayList<>(found.size());
        for (Map<String, Object> r : found) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("event_id", Rows.count(r, "event_id"));
            row.put("occurred_at", Rows.time(r, "occurred_at").toString());
            row.put("event", Rows.text(r, "event_type"));
            row.put("from_state", Rows.text(r, "from_status"));
            row.put("to_state", Rows.text(r, "to_status"));
            row.put("action", Rows.text(r, "action"));
            row.put("platform", Rows.text(r, "platform"));
            row.put("target", Rows.text(r, "target"));
            row.put("content", Rows.text(r, "content"));
            row.put("persona_constraints", rows.json(r, "persona_constraints"));
            row.put("confidence", Rows.number(r, "confidence"));
            row.put("decision", Rows.text(r, "decision"));
            row.put("reasons", rows.json(r, "reasons_json"));
            row.put("execution_ms", Rows.count(r, "execution_ms"));
            row.put("status", Rows.text(r, "result_status"));
            row.put("result", rows.json(r, "result_json"));
            row.put("error_code", Rows.text(r, "error_code"));
            row.put("error_message", Rows.text(r, "error_message"));
            row.put("actor", Rows.text(r, "actor"));
            out.add(row);
        }
        return out;
    }

    private Map<String, Object> summary(Engagement e) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("engagement_id", e.getId());
        if (e.getRequest().requestId() != null) {
            item.put("request_id", e.getRequest().requestId());
        }
        item.put("status", e.getState().contractStatus());
        item.put("state", e.getState().dbValue());
        item.put("request", e.getRequest());
        if (e.getAssessment() != null) {
            item.put("confidence", e.getConfidence());
            item.put("reasons", e.getAssessment().reasons());
        }
        if (e.getDecision() != null) {
            item.put("decision", e.getDecision());
        }
        if (e.getDecidedBy() != null) {
            item.put("decided_by", e.getDecidedBy());
        }
        item.put("created_at", e.getCreatedAt().toString());
        item.put("updated_at", e.getUpdatedAt().toString());
        item.put("result", lifecycle.answerFor(e));
        return item;
    }

    private static List<EngagementState> states(String status, List<Violation> violations) {
        if (status == null) {
            return List.of();
        }
        String s = status.toLowerCase(Locale.ROOT);
        switch (s) {
            case "success":
                return List.of(EngagementState.SUCCEEDED);
            case "failed":
                return List.of(EngagementState.FAILED, EngagementState.REJECTED);
            case "pending":
                return List.of(EngagementState.RECEIVED, EngagementState.PENDING_APPROVAL, EngagementState.APPROVED,
                        EngagementState.EXECUTING, EngagementState.OUTCOME_UNKNOWN);
            default:
                for (EngagementState st : EngagementState.values()) {
                    if (st.dbValue().equals(s)) {
                        return List.of(st);
                    }
                }
                violations.add(new Violation("/status", "must be success, pending, failed, or a state such as pending_approval"));
                return List.of();
        }
    }

    /** An ISO-8601 instant (2026-11-26T10:00:00Z) or a duration back from now (PT24H, 24h, 30m, 7d). */
    static OffsetDateTime time(Exchange exchange, String name, List<Violation> violations) {
        String v = PageQuery.param(exchange, name);
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v);
        } catch (DateTimeParseException notAnInstant) {
            try {
                String d = v.toUpperCase(Locale.ROOT);
                Duration back = d.startsWith("P") ? Duration.parse(d)
                        : d.endsWith("D") ? Duration.ofDays(Long.parseLong(d.substring(0, d.length() - 1)))
                        : Duration.parse("PT" + d);
                return OffsetDateTime.now(ZoneOffset.UTC).minus(back);
            } catch (RuntimeException e) {
                violations.add(new Violation("/" + name, "must be an ISO-8601 time (2026-11-26T10:00:00Z) or a duration (24h, 7d, PT30M)"));
                return null;
            }
        }
    }

}

package dev.engagement.gateway.review;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
    private static final OffsetDateTime BEGINNING_OF_TIME = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final Pattern RULE = Pattern.compile("^[a-z0-9_.]{1,64}$");
    private static final List<String> SORTS = List.of("newest", "oldest", "confidence");
    private final Duration expireAfter;
    private final int recentPerAuthor;

    public ApprovalDesk(EngagementReads reads, EngagementLifecycle lifecycle, ObjectMapper mapper, Vocabulary vocabulary, int listLimit,
                        Duration expireAfter, int recentPerAuthor) {
        this.recentPerAuthor = recentPerAuthor;
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
     * {@code ?status=pending|approved|rejected|outcome_unknown} (pending by default), {@code &platform=&action=},
     * {@code &reason=} (a reason's rule, or its start: {@code sensitive} finds every sensitive.*),
     * {@code &older_than=&newer_than=} (ISO-8601 durations: the item's age), {@code &sort=newest|oldest|confidence},
     * {@code &limit=} (engagement.approvals.list-limit by default, at most 500) and {@code &cursor=} (a page's
     * next_cursor, for the same sort) as the queue query's headers; one row more than the limit is read, to know
     * whether another page follows.
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
        String reason = PageQuery.param(exchange, "reason");
        if (reason != null && !RULE.matcher(reason).matches()) {
            violations.add(new Violation("/reason", "must be a reason's rule or its start, e.g. sensitive or base.follow"));
            reason = null;
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Duration olderThan = age(exchange, "older_than", violations);
        Duration newerThan = age(exchange, "newer_than", violations);
        String sort = PageQuery.oneOf(exchange, "sort", SORTS, violations);
        sort = sort == null ? "newest" : sort;
        int limit = PageQuery.limit(PageQuery.param(exchange, "limit"), listLimit, violations);
        String[] cursor = PageQuery.cursor(PageQuery.param(exchange, "cursor"), violations);
        String[] afterConfidence = cursor != null && sort.equals("confidence") ? cursor[1].split("\\|", 2) : null;
        boolean confidenceCursor = cursor != null && cursor[1].contains("|");
        if (afterConfidence != null && (afterConfidence.length != 2 || !isNumber(afterConfidence[1]))
                || afterConfidence == null && confidenceCursor) {
            violations.add(new Violation("/cursor", "is not a cursor of this sort (use next_cursor with the same sort)"));
        }
        if (!violations.isEmpty()) {
            throw EngagementFailure.validation(violations);
        }
        Message m = exchange.getMessage();
        m.setHeader("status", wanted);
        m.setHeader("state", state.dbValue());
        m.setHeader("platform", platform == null ? "" : platform);
        m.setHeader("action", action == null ? "" : action);
        // '!' escapes LIKE's own wildcards: a rule's '_' is a letter, not "any character"
        m.setHeader("reasonLike", reason == null ? "" : "%\"rule\":\"" + reason.replace("_", "!_") + "%");
        m.setHeader("createdBefore", olderThan == null ? END_OF_TIME : now.minus(olderThan));
        m.setHeader("createdAfter", newerThan == null ? BEGINNING_OF_TIME : now.minus(newerThan));
        m.setHeader("sort", sort);
        m.setHeader("limit", limit);
        m.setHeader("fetch", limit + 1);
        // the first page starts before anything: after the end of time (or before its beginning, oldest first),
        // after every id (before every one), and above any confidence
        boolean oldest = sort.equals("oldest");
        m.setHeader("afterTime", cursor != null ? OffsetDateTime.parse(cursor[0]) : oldest ? BEGINNING_OF_TIME : END_OF_TIME);
        m.setHeader("afterId", cursor != null ? (afterConfidence != null ? afterConfidence[0] : cursor[1]) : oldest ? "" : "~");
        m.setHeader("afterConfidence", afterConfidence != null ? Double.parseDouble(afterConfidence[1]) : 2.0);
    }

    private static Duration age(Exchange exchange, String name, List<Violation> violations) {
        String v = PageQuery.param(exchange, name);
        if (v == null) {
            return null;
        }
        try {
            Duration d = Duration.parse(v);
            if (!d.isNegative()) {
                return d;
            }
        } catch (DateTimeParseException ignored) {
            // reported below
        }
        violations.add(new Violation("/" + name, "must be an ISO-8601 duration such as PT1H or P2D"));
        return null;
    }

    private static boolean isNumber(String v) {
        try {
            Double.parseDouble(v);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * One page of the queue: {"items": [engagement_id, status, request, confidence, reasons, created_at, context],
     * "next_cursor": ...} (next_cursor only when another page follows). An item's context is what it answers:
     * {@code target} (author, text and time, as the platform's lookup showed it when the engagement was decided;
     * absent when nothing was looked up) and {@code recent}, the account's recent engagements with that author
     * ({@link #withHistory}). The header authors lists the page's authors for that.
     */
    public Map<String, Object> queue(List<Map<String, Object>> found, Exchange exchange) {
        String status = exchange.getMessage().getHeader("status", String.class);
        int limit = exchange.getMessage().getHeader("limit", Integer.class);
        List<Map<String, Object>> items = new ArrayList<>(Math.min(found.size(), limit));
        Set<String> authors = new LinkedHashSet<>();
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
            Map<String, Object> context = new LinkedHashMap<>();
            Object target = rows.json(row, "target_json");
            if (target != null) {
                context.put("target", target);
            }
            String author = Rows.text(row, "target_author");
            if (author != null) {
                context.put("author", author);
                context.put("recent", new ArrayList<>());
                authors.add(author);
            }
            context.put("platform", Rows.text(row, "platform"));
            item.put("context", context);
            items.add(item);
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", items);
        if (found.size() > limit) {
            Map<String, Object> last = found.get(limit - 1);
            String id = Rows.text(last, "engagement_id");
            Double confidence = Rows.number(last, "confidence");
            // sorted by confidence, the next page starts below the last item's confidence too
            page.put("next_cursor", PageQuery.nextCursor(Rows.time(last, "created_at"), "confidence".equals(exchange.getMessage()
                    .getHeader("sort")) ? id + "|" + (confidence == null ? 0.0 : confidence) : id));
        }
        exchange.getMessage().setHeader("authors", new ArrayList<>(authors));
        exchange.getMessage().setHeader("perAuthor", recentPerAuthor);
        return page;
    }

    /**
     * The page with each item's recent engagements with its author on its platform (the rows of
     * routes/sql/recent-with-authors.sql, newest first), the item itself left out: engagement_id, action,
     * target, content, status (the contract's), created_at.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> withHistory(Map<String, Object> page, List<Map<String, Object>> recent) {
        for (Map<String, Object> item : (List<Map<String, Object>>) page.get("items")) {
            Map<String, Object> context = (Map<String, Object>) item.get("context");
            if (!context.containsKey("author")) {
                continue;
            }
            List<Map<String, Object>> mine = (List<Map<String, Object>>) context.get("recent");
            for (Map<String, Object> row : recent) {
                if (!Rows.text(row, "engagement_id").equals(item.get("engagement_id")) && context.get("author").equals(
                        Rows.text(row, "target_author")) && context.get("platform").equals(Rows.text(row, "platform"))) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("engagement_id", Rows.text(row, "engagement_id"));
                    r.put("action", Rows.text(row, "action"));
                    r.put("target", Rows.text(row, "target"));
                    r.put("content", Rows.text(row, "content"));
                    r.put("status", EngagementState.of(Rows.text(row, "status")).contractStatus());
                    r.put("state", Rows.text(row, "status"));
                    r.put("created_at", Rows.time(row, "created_at").toString());
                    mine.add(r);
                }
            }
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

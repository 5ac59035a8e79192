package dev.engagement.gateway.notify;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.engagement.EngagementState;
import dev.engagement.gateway.store.EngagementReads;

/**
 * The approval events reviewers hear about without watching the console (routes/notifications.yaml): an
 * engagement was queued for review ({@code approval.queued}), or waits and expires within
 * engagement.approvals.expiry-warning ({@code approval.expiring}). Each is one JSON document: the event, the
 * engagement, its request, confidence and reasons, when it was queued and when it expires.
 */
public class ApprovalNotices {

    public static final String QUEUED = "approval.queued";
    public static final String EXPIRING = "approval.expiring";

    private final EngagementReads reads;
    private final ObjectMapper mapper;
    private final Duration expireAfter;
    private final Duration warning;

    public ApprovalNotices(EngagementReads reads, ObjectMapper mapper, Duration expireAfter, Duration warning) {
        this.reads = reads;
        this.mapper = mapper;
        this.expireAfter = expireAfter;
        this.warning = warning;
    }

    /** The event of an engagement just queued for review, as the body (JSON), its id as the Kafka key. */
    public void queued(Exchange exchange) {
        announce(exchange, QUEUED, exchange.getMessage().getBody(Engagement.class));
    }

    /** The headers of the expiry-warning query: engagements created between these expire within the warning. */
    public void expiringWindow(Exchange exchange) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Message m = exchange.getMessage();
        m.setHeader("now", now);
        m.setHeader("notBefore", now.minus(expireAfter));
        m.setHeader("warnBefore", now.minus(expireAfter).plus(warning));
    }

    /**
     * The warning about one engagement whose warning this instance claimed; no body when it was decided
     * meanwhile (nothing to warn about).
     */
    public void expiring(String engagementId, Exchange exchange) {
        Engagement e = reads.find(engagementId).filter(x -> x.getState() == EngagementState.PENDING_APPROVAL).orElse(null);
        if (e == null) {
            exchange.getMessage().setBody(null);
            return;
        }
        announce(exchange, EXPIRING, e);
    }

    private void announce(Exchange exchange, String event, Engagement e) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("event", event);
        doc.put("occurred_at", OffsetDateTime.now(ZoneOffset.UTC).toString());
        doc.put("engagement_id", e.getId());
        doc.put("platform", e.getPlatform());
        doc.put("action", e.getAction());
        doc.put("request", e.getRequest());
        doc.put("confidence", e.getConfidence());
        doc.put("reasons", e.getAssessment() == null ? java.util.List.of() : e.getAssessment().reasons());
        doc.put("created_at", e.getCreatedAt().toString());
        doc.put("expires_at", e.getCreatedAt().plus(expireAfter).withOffsetSameInstant(ZoneOffset.UTC).toString());
        try {
            exchange.getMessage().setBody(mapper.writeValueAsString(doc));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
        exchange.getMessage().setHeader("kafka.KEY", e.getId());
        exchange.getMessage().setHeader(ApprovalWebhook.EVENT_HEADER, event);
    }
}

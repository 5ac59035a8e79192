package dev.engagement.gateway.review;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.sql.SqlConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engagement.gateway.contract.ContractValidator;
import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.EngagementResult;
import dev.engagement.gateway.contract.ErrorBody;
import dev.engagement.gateway.contract.ErrorCode;
import dev.engagement.gateway.contract.Violation;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.engagement.EngagementState;
import dev.engagement.gateway.flow.EngagementLifecycle;
import dev.engagement.gateway.security.AccessGuard;
import dev.engagement.gateway.store.EngagementReads;

/**
 * A reviewer's decision, around the approval table's conditional UPDATE (routes/approvals.yaml,
 * routes/sql/decide-pending.sql): {@link #approval} and {@link #rejection} read who decides and why
 * ({@code {"reviewer": "...", "note": "..."}}) into the headers the SQL takes; {@link #outcome} reads the
 * update count: 1 is the decision made, 0 means someone decided first (409) or time ran out (410).
 */
public class ReviewerDecisions {

    private static final Logger LOG = LoggerFactory.getLogger(ReviewerDecisions.class);
    private static final String APPROVED = "approved";
    private static final String REJECTED = "rejected";
    /** What a reviewer may find on the platform about an engagement of unknown outcome. */
    private static final List<String> OUTCOMES = List.of("succeeded", "failed");

    private final EngagementReads reads;
    private final EngagementLifecycle lifecycle;
    private final ContractValidator json;
    private final ObjectMapper mapper;
    private final Duration expireAfter;

    public ReviewerDecisions(EngagementReads reads, EngagementLifecycle lifecycle, ContractValidator json, ObjectMapper mapper,
                             Duration expireAfter) {
        this.reads = reads;
        this.lifecycle = lifecycle;
        this.json = json;
        this.mapper = mapper;
        this.expireAfter = expireAfter;
    }

    /**
     * Who decides and why, from the decision body {@code {"reviewer": "...", "note": "..."}} (400 when it is
     * malformed; an empty body is allowed): headers reviewer, note, and actor (the name with the token's
     * fingerprint, for the audit trail).
     */
    public void read(Exchange exchange) {
        Decision d = read(exchange.getMessage().getBody(byte[].class));
        Message m = exchange.getMessage();
        String token = m.getHeader(AccessGuard.TOKEN_HEADER, String.class);
        m.setHeader("reviewer", d.reviewer());
        m.setHeader("note", d.note());
        m.setHeader("actor", token == null ? d.reviewer() : d.reviewer() + " [token " + token + "]");
        m.setHeader("outcome", d.outcome());
        m.setHeader(ReviewerEdits.CONTENT, d.content());
        m.setHeader(ReviewerEdits.OVERRIDE, d.override());
        // no edit until one is admitted (ReviewerEdits.admit): the decision's SQL keeps the agent's text
        ReviewerEdits.unedited(m);
    }

    /**
     * A reviewer who checked the platform settles an engagement whose outcome a crash made unknown
     * ({@code "outcome": "succeeded"} or {@code "failed"}); CONFLICT for any other engagement.
     */
    public Engagement settlement(Engagement engagement, Exchange exchange) {
        Message m = exchange.getMessage();
        String outcome = m.getHeader("outcome", String.class);
        if (outcome == null) {
            throw EngagementFailure.validation(List.of(new Violation("/outcome",
                    "required: \"succeeded\" (the platform shows the action) or \"failed\" (it does not)")));
        }
        if (engagement.getState() != EngagementState.OUTCOME_UNKNOWN) {
            throw new EngagementFailure(ErrorCode.CONFLICT, "Engagement " + engagement.getId() + " is " + engagement.getState().dbValue()
                    + ": only an engagement whose outcome is unknown (outcome_unknown) is settled", false, null,
                    engagement.getPlatform(), engagement.getRequest().target(), null, null).forEngagement(engagement.getId());
        }
        return lifecycle.settle(engagement, "succeeded".equals(outcome), m.getHeader("reviewer", String.class),
                m.getHeader("actor", String.class), m.getHeader("note", String.class));
    }

    /** The headers of an approval: what, when, and the cut-off before which the engagement has expired. */
    public void approval(Engagement engagement, Exchange exchange) {
        decide(exchange, APPROVED, EngagementState.APPROVED);
    }

    /** The headers of a rejection, with the engagement's result: failed REJECTED_BY_REVIEWER. */
    public void rejection(Engagement engagement, Exchange exchange) {
        if (exchange.getMessage().getHeader(ReviewerEdits.CONTENT) != null) {
            throw EngagementFailure.validation(List.of(new Violation("/content",
                    "a rejection posts nothing: content is for an approval (POST /approvals/{id}/approve)")));
        }
        decide(exchange, REJECTED, EngagementState.REJECTED);
        String reviewer = exchange.getMessage().getHeader("reviewer", String.class);
        String note = exchange.getMessage().getHeader("note", String.class);
        ErrorBody error = new EngagementFailure(ErrorCode.REJECTED_BY_REVIEWER,
                "Rejected by reviewer " + reviewer + (note == null || note.isBlank() ? "" : ": " + note),
                false, null, engagement.getPlatform(), engagement.getRequest().target(), null, null).toErrorBody();
        EngagementResult result = EngagementResult.failed(engagement.getId(), engagement.getRequest().requestId(), error);
        Message m = exchange.getMessage();
        m.setHeader("resultJson", write(result));
        m.setHeader("resultStatus", result.status());
        m.setHeader("errorCode", error.code().name());
        m.setHeader("errorMessage", error.message());
    }

    /**
     * After the conditional UPDATE: the engagement as decided (approved, to execute; or rejected), or,
     * when the update moved nothing, why: decided already (CONFLICT) or waited too long (APPROVAL_EXPIRED,
     * and it expires now).
     */
    public Engagement outcome(Engagement engagement, Exchange exchange) {
        Exception failed = exchange.getProperty(DecisionRecorded.FAILURE, Exception.class);
        if (failed != null) {
            exchange.removeProperty(DecisionRecorded.FAILURE);
            throw new IllegalStateException("The decision on " + engagement.getId() + " could not be written (rolled back): "
                    + failed.getMessage(), failed);
        }
        Message m = exchange.getMessage();
        boolean decided = m.getHeader(SqlConstants.SQL_UPDATE_COUNT, 0, Integer.class) == 1;
        Engagement now = reads.find(engagement.getId()).orElseThrow();
        if (decided) {
            LOG.info("{} {} by {}", now, m.getHeader("decision"), m.getHeader("actor"));
            return now;
        }
        if (now.getState() == EngagementState.PENDING_APPROVAL && lifecycle.expire(now, expireAfter)) {
            throw new EngagementFailure(ErrorCode.APPROVAL_EXPIRED, "Engagement " + now.getId()
                    + " waited longer than " + expireAfter + " and expired; it was not executed").forEngagement(now.getId());
        }
        throw new EngagementFailure(ErrorCode.CONFLICT, "Engagement " + now.getId() + " was already decided (it is "
                + now.getState().dbValue() + ")", false, null,
                now.getPlatform(), now.getRequest().target(), null, null).forEngagement(now.getId());
    }

    /** A decision's body: who and why, a settlement's outcome, an approval's edited text and override. */
    private record Decision(String reviewer, String note, String outcome, String content, boolean override) {
    }

    private void decide(Exchange exchange, String decision, EngagementState state) {
        Message m = exchange.getMessage();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        m.setHeader("decision", decision);
        m.setHeader("state", state.dbValue());
        m.setHeader("now", now);
        m.setHeader("notBefore", now.minus(expireAfter));
        m.setHeader("resultJson", null);
        m.setHeader("resultStatus", null);
        m.setHeader("errorCode", null);
        m.setHeader("errorMessage", null);
    }

    /** The decision body {"reviewer": "...", "note": "...", "outcome": "..." (a settlement's)}; an empty body is allowed. */
    private Decision read(byte[] body) {
        if (body == null || new String(body, StandardCharsets.UTF_8).isBlank()) {
            return new Decision("unnamed reviewer", null, null, null, false);
        }
        JsonNode node = json.parse(body);
        List<Violation> violations = new ArrayList<>();
        if (!node.isObject()) {
            violations.add(new Violation("", "expected a JSON object {\"reviewer\": \"...\", \"note\": \"...\"}"));
        } else {
            // a person's name, not a document: it goes into 200-character columns with the token's fingerprint
            check(node, "reviewer", 100, violations);
            check(node, "note", 2000, violations);
            JsonNode outcome = node.get("outcome");
            if (outcome != null && !outcome.isNull() && !(outcome.isTextual() && OUTCOMES.contains(outcome.asText()))) {
                violations.add(new Violation("/outcome", "must be \"succeeded\" or \"failed\""));
            }
            // the edited text's own rules (length, pattern) are the contract's, checked on the edited request
            JsonNode content = node.get("content");
            if (content != null && !content.isNull() && !content.isTextual()) {
                violations.add(new Violation("/content", "must be a string: the text that replaces the agent's"));
            }
            JsonNode override = node.get("override");
            if (override != null && !override.isNull() && !override.isBoolean()) {
                violations.add(new Violation("/override", "must be true or false"));
            }
        }
        if (!violations.isEmpty()) {
            throw EngagementFailure.validation(violations);
        }
        String reviewer = node.path("reviewer").asText("").trim();
        String note = node.hasNonNull("note") ? node.get("note").asText() : null;
        String outcome = node.hasNonNull("outcome") ? node.get("outcome").asText() : null;
        String content = node.hasNonNull("content") ? node.get("content").asText() : null;
        return new Decision(reviewer.isEmpty() ? "unnamed reviewer" : reviewer, note, outcome, content,
                node.path("override").asBoolean(false));
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

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

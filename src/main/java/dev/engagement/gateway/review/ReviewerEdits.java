package dev.engagement.gateway.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import dev.engagement.gateway.contract.ContractValidator;
import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.EngagementRequest;
import dev.engagement.gateway.contract.ErrorCode;
import dev.engagement.gateway.contract.Violation;
import dev.engagement.gateway.engagement.Assessment;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.engagement.Reason;
import dev.engagement.gateway.engagement.Routing;
import dev.engagement.gateway.platform.PlatformCatalog;

/**
 * Edit-and-approve (routes/approvals.yaml, http-approve): a reviewer's {@code "content"} replaces the
 * agent's text. {@link #edit} checks it as an agent's text is checked (the contract, the platform's
 * length); the route scores the edited engagement again with the same steps as a submission; {@link #admit}
 * refuses an edit the policy would refuse unless the reviewer says {@code "override": true}, and hands the
 * edit to the decision's SQL (routes/sql/decide-pending.sql, edit-event.sql), which applies it only with
 * the decision itself.
 */
public class ReviewerEdits {

    /** Header: the reviewer's text, or null when the agent's stands. */
    public static final String CONTENT = "editContent";
    /** Header: true when the reviewer approves an edit the policy would refuse. */
    public static final String OVERRIDE = "editOverride";

    private static final String REQUEST_JSON = "editedRequestJson";
    private static final String CONFIDENCE = "editedConfidence";
    private static final String REASONS_JSON = "editedReasonsJson";
    private static final String EDIT_EVENT = "editEvent";
    /** The reason a reviewer's override leaves in the engagement's reasons and the audit log. */
    static final String OVERRIDE_RULE = "reviewer_override";

    private final ContractValidator contract;
    private final PlatformCatalog catalog;
    private final ObjectMapper mapper;

    public ReviewerEdits(ContractValidator contract, PlatformCatalog catalog, ObjectMapper mapper) {
        this.contract = contract;
        this.catalog = catalog;
        this.mapper = mapper;
    }

    /** The SQL headers of a decision without an edit: every edited column keeps its value. */
    static void unedited(Message m) {
        m.setHeader(REQUEST_JSON, null);
        m.setHeader(CONFIDENCE, null);
        m.setHeader(REASONS_JSON, null);
        m.setHeader(EDIT_EVENT, null);
    }

    /**
     * The pending engagement with the reviewer's text in place of the agent's, not yet scored: 400 listing the
     * contract's violations at {@code /content}, 422 CONTENT_TOO_LONG by the platform's counting.
     */
    public Engagement edit(Engagement pending, Exchange exchange) {
        String content = exchange.getMessage().getHeader(CONTENT, String.class);
        ObjectNode edited = mapper.valueToTree(pending.getRequest());
        edited.put("content", content);
        List<Violation> violations = contract.violations("EngagementRequest", edited);
        if (!violations.isEmpty()) {
            throw EngagementFailure.validation(violations);
        }
        EngagementRequest request = catalog.check(contract.request(write(edited).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return new Engagement(pending.getId(), request, pending.getState(), pending.getCreatedAt());
    }

    /**
     * The scored edit as the decision's SQL headers; REJECTED_BY_POLICY (422) when the policy would refuse it
     * (below its review threshold, or never engaged) and the reviewer did not say {@code "override": true}. An
     * override is kept as a reason, so the engagement and its audit log show it.
     */
    public Engagement admit(Engagement edited, Exchange exchange) {
        Message m = exchange.getMessage();
        boolean override = Boolean.TRUE.equals(m.getHeader(OVERRIDE, Boolean.class));
        Routing routing = edited.getRouting();
        Assessment scored = edited.getAssessment();
        boolean refused = routing.never() || edited.getConfidence() < routing.reviewAtOrAbove();
        if (refused && !override) {
            throw new EngagementFailure(ErrorCode.REJECTED_BY_POLICY, "The edited text scores " + fmt(edited.getConfidence())
                    + (routing.never() ? " but " + edited.getPlatform() + " " + edited.getAction() + " is never engaged"
                    : ", below the review threshold " + fmt(routing.reviewAtOrAbove()))
                    + "; nothing was decided. Reasons: " + scored.summary()
                    + ". Approve it with \"override\": true to post it anyway (recorded)", false, null, edited.getPlatform(),
                    edited.getRequest().target(), null, null).forEngagement(edited.getId());
        }
        List<Reason> reasons = new ArrayList<>(scored.reasons());
        if (refused) {
            reasons.add(new Reason(OVERRIDE_RULE, 0.0, m.getHeader("reviewer", String.class)
                    + " approved the edited text over the policy's refusal"));
            edited.setAssessment(new Assessment(scored.confidence(), scored.policyScore(), scored.needsHuman(), List.copyOf(reasons)));
        }
        m.setHeader(REQUEST_JSON, write(edited.getRequest()));
        m.setHeader(CONFIDENCE, edited.getConfidence());
        m.setHeader(REASONS_JSON, write(reasons));
        m.setHeader(EDIT_EVENT, refused ? "edit_overridden" : "edited");
        return edited;
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}

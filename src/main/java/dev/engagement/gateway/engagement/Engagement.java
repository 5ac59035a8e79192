package dev.engagement.gateway.engagement;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.engagement.gateway.contract.EngagementRequest;
import dev.engagement.gateway.contract.EngagementResult;

/**
 * One engagement as it moves through the routes: the body of the exchange from admission to reply.
 */
public class Engagement {

    private final String id;
    private EngagementRequest request;
    private final OffsetDateTime createdAt;
    private EngagementState state;
    private Assessment assessment;
    private Routing routing;
    private TargetInfo target;
    private Draft draft;
    private EngagementResult result;
    private boolean replayed;
    /** An execution taken up again after it was left unfinished (a crash, an unanswered write): its first try may have acted. */
    private boolean resumed;
    private long executionMillis = -1;
    private String decision;
    private String decidedBy;
    /** The fingerprint of the agent token that submitted it over HTTP (null: Kafka, or read back from the store). */
    private String agent;
    private OffsetDateTime updatedAt;
    private boolean stored = true;
    private final List<NotedEvent> unwrittenNotes = new ArrayList<>();

    /** An engagement as stored (read back, or written). */
    public Engagement(String id, EngagementRequest request, EngagementState state, OffsetDateTime createdAt) {
        this.id = id;
        this.request = request;
        this.state = state;
        this.createdAt = createdAt;
    }

    /**
     * A request just admitted, received and not yet written: its row is written with its first state
     * change (the decision), in the same transaction, so an immediate decision costs one commit.
     */
    public static Engagement admitted(String id, EngagementRequest request, OffsetDateTime at) {
        Engagement e = new Engagement(id, request, EngagementState.RECEIVED, at);
        e.stored = false;
        return e;
    }

    /** False until the engagement's row is written. */
    public boolean isStored() {
        return stored;
    }

    public void markStored() {
        stored = true;
        unwrittenNotes.clear();
    }

    /** Events noted before the row was written (e.g. a failed lookup attempt): written with it. */
    public List<NotedEvent> getUnwrittenNotes() {
        return unwrittenNotes;
    }

    public void holdNote(NotedEvent note) {
        unwrittenNotes.add(note);
    }

    public String getId() {
        return id;
    }

    public EngagementRequest getRequest() {
        return request;
    }

    public String getAction() {
        return request.action();
    }

    public String getPlatform() {
        return request.platform();
    }

    public OffsetDateTime getCreatedAt() {
        return createdAt;
    }

    public EngagementState getState() {
        return state;
    }

    public void setState(EngagementState state) {
        this.state = state;
    }

    public Assessment getAssessment() {
        return assessment;
    }

    public void setAssessment(Assessment assessment) {
        this.assessment = assessment;
    }

    /** Where it may go for its platform and action (set by the decision rules); null before the decision. */
    public Routing getRouting() {
        return routing;
    }

    public void setRouting(Routing routing) {
        this.routing = routing;
    }

    /** What the platform's lookup tool said about the target; null when it was not looked up. */
    public TargetInfo getTarget() {
        return target;
    }

    public void setTarget(TargetInfo target) {
        this.target = target;
    }

    /**
     * Whose post (or, for a follow, which user) this engagement answers: the lookup's author, the followed
     * user, or null when it is not known.
     */
    public String targetAuthor() {
        if (target != null && target.author() != null) {
            return target.author();
        }
        return "follow".equals(getAction()) ? request.target() : null;
    }

    /** The effective confidence the decision routes on. */
    public double getConfidence() {
        return assessment == null ? 0.0 : assessment.confidence();
    }

    /** True when a human must see it whatever the score (sensitive content). */
    public boolean isNeedsHuman() {
        return assessment != null && assessment.needsHuman();
    }

    /**
     * True when a human must decide whatever the confidence: sensitive content, an always-review rule, or a text the
     * language model drafted.
     */
    public boolean isHumanRequired() {
        return isNeedsHuman() || routing != null && routing.alwaysReview() || draft != null;
    }

    /** The language model's draft, now the request's content; null when the text is the agent's (or was not drafted here). */
    public Draft getDraft() {
        return draft;
    }

    /** The request's content becomes the draft: scored, stored and (once a reviewer approves it) posted as the agent's would be. */
    public void useDraft(Draft draft) {
        this.draft = draft;
        this.request = request.withContent(draft.text());
    }

    public EngagementResult getResult() {
        return result;
    }

    public void setResult(EngagementResult result) {
        this.result = result;
    }

    /** True when this request_id was seen before: the stored answer is returned, nothing runs again. */
    public boolean isReplayed() {
        return replayed;
    }

    public void setReplayed(boolean replayed) {
        this.replayed = replayed;
    }

    public boolean isResumed() {
        return resumed;
    }

    public void setResumed(boolean resumed) {
        this.resumed = resumed;
    }

    public long getExecutionMillis() {
        return executionMillis;
    }

    public void setExecutionMillis(long executionMillis) {
        this.executionMillis = executionMillis;
    }

    /** What was decided (execute, review, refuse, approved, rejected), by whom, and when the row last changed. */
    public void setDecision(String decision, String decidedBy, OffsetDateTime updatedAt) {
        this.decision = decision;
        this.decidedBy = decidedBy;
        this.updatedAt = updatedAt;
    }

    public String getDecision() {
        return decision;
    }

    public String getDecidedBy() {
        return decidedBy;
    }

    public String getAgent() {
        return agent;
    }

    public void setAgent(String agent) {
        this.agent = agent;
    }

    public OffsetDateTime getUpdatedAt() {
        return updatedAt == null ? createdAt : updatedAt;
    }

    /** The notice of a pending result: why it waits and how confident the gateway is. */
    public Map<String, Object> reviewNotice() {
        Map<String, Object> notice = new LinkedHashMap<>();
        String what = Character.toUpperCase(getAction().charAt(0)) + getAction().substring(1);
        notice.put("message", what + " request queued for approval");
        notice.put("approval_required", true);
        notice.put("confidence", getConfidence());
        if (assessment != null) {
            notice.put("reasons", assessment.reasons());
        }
        return notice;
    }

    @Override
    public String toString() {
        return id + " " + getAction() + "@" + getPlatform() + " " + request.target() + " [" + state + "]";
    }
}

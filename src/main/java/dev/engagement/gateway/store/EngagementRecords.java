package dev.engagement.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.EngagementRequest;
import dev.engagement.gateway.contract.EngagementResult;
import dev.engagement.gateway.contract.ErrorCode;
import dev.engagement.gateway.engagement.Assessment;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.engagement.EngagementState;
import dev.engagement.gateway.engagement.NotedEvent;
import dev.engagement.gateway.engagement.StateChange;

/**
 * The engagements' write path: admission (once per request_id), state changes, and the audit events
 * that change no state. Every state change is one transaction: a conditional UPDATE of the engagement
 * row (so two instances or two reviewers cannot both move it) and an appended event carrying the
 * skill's logging fields. The first one, the decision, inserts the row instead, with the admission's
 * event: an auto-approved like is two commits, a pending follow one.
 */
public class EngagementRecords {

    // its connections hold the maintenance lock's shared side: no write runs beside the embedded H2's
    // housekeeping (EmbeddedDatabaseHousekeeping)
    private final MaintenanceAwareDataSource dataSource;
    private final StoredJson json;
    private final EngagementReads reads;

    public EngagementRecords(MaintenanceAwareDataSource dataSource, ObjectMapper mapper, EngagementReads reads) {
        this.dataSource = dataSource;
        this.json = new StoredJson(mapper);
        this.reads = reads;
    }

    /**
     * Admits a validated request: when its request_id was seen before, the existing engagement marked
     * as replayed, so nothing runs twice; otherwise a new engagement in state received, written later
     * with its first state change ({@link #admitWith}): one transaction for admission and decision.
     * Nothing is lost by waiting: no answer is given, and no Kafka offset committed, before that write.
     */
    public Engagement admit(EngagementRequest request, String agent) {
        if (request.requestId() != null) {
            Optional<Engagement> known = reads.findByRequestId(request.requestId());
            if (known.isPresent()) {
                return replay(known.get(), request);
            }
        }
        Engagement e = Engagement.admitted(newId(), request, now());
        e.setAgent(agent);
        return e;
    }

    /**
     * eng_ and 20 hex digits: the time in ms (12), then 32 random bits. Time first puts a new engagement,
     * its events and its state changes at the end of each index, where the last ones are, so a commit
     * rewrites a few recent pages instead of random ones.
     */
    static String newId() {
        return String.format("eng_%012x%08x", System.currentTimeMillis(), ThreadLocalRandom.current().nextInt());
    }

    /**
     * Writes an admitted engagement with its first state change, in one transaction: the row in the
     * new state, the "received" event, any events noted meanwhile, and the change's event. Returns the
     * engagement, or — when a concurrent submission of the same request_id was written first — that
     * one, replayed (CONFLICT if it is a different request).
     */
    public Engagement admitWith(Engagement e, StateChange change) {
        if (e.isStored() || !change.from().contains(e.getState())) {
            throw new IllegalStateException(e + " cannot be admitted with " + change.eventType());
        }
        EngagementRequest request = e.getRequest();
        EngagementResult r = change.result();
        OffsetDateTime now = now();
        SQLException duplicate = null;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO engagements (engagement_id, request_id, action, platform, "
                        + "target, content, persona_constraints, request_json, agent_confidence, status, confidence, decision, "
                        + "reasons_json, result_json, error_code, decided_by, decision_note, created_at, updated_at, agent, "
                        + "target_author, target_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, e.getId());
                    ps.setString(2, request.requestId());
                    ps.setString(3, request.action());
                    ps.setString(4, request.platform());
                    ps.setString(5, request.target());
                    ps.setString(6, request.content());
                    ps.setString(7, json.write(request.constraints()));
                    ps.setString(8, json.write(request));
                    setDouble(ps, 9, request.confidence());
                    ps.setString(10, change.to().dbValue());
                    setDecisionColumns(ps, 11, change);
                    ps.setObject(18, e.getCreatedAt());
                    ps.setObject(19, now);
                    ps.setString(20, e.getAgent());
                    // what it answers, for the reviewers' queue (the lookup is not kept anywhere else)
                    ps.setString(21, e.targetAuthor());
                    ps.setString(22, e.getTarget() == null ? null : json.write(e.getTarget().summary()));
                    ps.executeUpdate();
                }
                appendEvent(c, e.getId(), StateChange.received(), null, e.getCreatedAt());
                for (NotedEvent n : e.getUnwrittenNotes()) {
                    appendEvent(c, e.getId(), StateChange.noted(n, EngagementState.RECEIVED), EngagementState.RECEIVED, n.at());
                }
                appendEvent(c, e.getId(), change, EngagementState.RECEIVED, now);
                c.commit();
            } catch (SQLException ex) {
                rollback(c, ex);
                if (!isUniqueViolation(ex) || request.requestId() == null) {
                    throw ex;
                }
                duplicate = ex;
            }
        } catch (SQLException ex) {
            throw StoreFailure.of(ex);
        }
        if (duplicate != null) {
            // a concurrent submission of the same request_id was written first: answer that one (looked up
            // after this connection went back to the pool, which many concurrent duplicates could exhaust)
            SQLException cause = duplicate;
            return replay(reads.findByRequestId(request.requestId()).orElseThrow(() -> StoreFailure.of(cause)), request);
        }
        e.markStored();
        e.setState(change.to());
        if (r != null) {
            e.setResult(r);
        }
        return e;
    }

    private Engagement replay(Engagement known, EngagementRequest request) {
        if (!known.getRequest().equals(request) && !draftedFor(known, request)) {
            throw EngagementFailure.about(ErrorCode.CONFLICT, "request_id '" + request.requestId()
                    + "' was already used for a different request (engagement " + known.getId() + ")", request.platform(), request.target())
                    .forEngagement(known.getId());
        }
        known.setReplayed(true);
        return known;
    }

    /**
     * True when the known engagement is this request, sent without content, with the text the language model drafted
     * for it (or a reviewer's edit of that text) as its content: the same request, answered again, not drafted again.
     */
    private boolean draftedFor(Engagement known, EngagementRequest request) {
        return !request.hasContent() && known.getRequest().withContent(null).equals(request)
                && reads.hasEvent(known.getId(), "drafted");
    }

    /** Applies a change if the engagement is still in an expected state; false when someone else moved it first. */
    public boolean apply(Engagement engagement, StateChange change) {
        return apply(engagement, change, null);
    }

    /**
     * Applies a change if the engagement is still in an expected state and, when {@code idleBefore} is given,
     * nobody has changed it since then: of several instances taking up the same idle engagement, one does.
     */
    public boolean apply(Engagement engagement, StateChange change, OffsetDateTime idleBefore) {
        // the state this exchange last saw; the conditional UPDATE below moves the row only if it is
        // still in it, so a change someone else made first makes this one a no-op (false)
        EngagementState current = engagement.getState();
        if (!change.from().contains(current)) {
            return false;
        }
        if (!engagement.isStored()) {
            throw new IllegalStateException(engagement + " is not written yet: its first change goes through admitWith");
        }
        OffsetDateTime now = now();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("UPDATE engagements SET status = ?, updated_at = ?, "
                        + "confidence = COALESCE(?, confidence), decision = COALESCE(?, decision), "
                        + "reasons_json = COALESCE(?, reasons_json), result_json = COALESCE(?, result_json), "
                        + "error_code = COALESCE(?, error_code), decided_by = COALESCE(?, decided_by), "
                        + "decision_note = COALESCE(?, decision_note) WHERE engagement_id = ? AND status = ?"
                        + (idleBefore == null ? "" : " AND updated_at < ?"))) {
                    ps.setString(1, change.to().dbValue());
                    ps.setObject(2, now);
                    setDecisionColumns(ps, 3, change);
                    ps.setString(10, engagement.getId());
                    ps.setString(11, current.dbValue());
                    if (idleBefore != null) {
                        ps.setObject(12, idleBefore);
                    }
                    if (ps.executeUpdate() != 1) {
                        c.rollback();
                        return false;
                    }
                }
                appendEvent(c, engagement.getId(), change, current, now);
                c.commit();
            } catch (SQLException e) {
                rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw StoreFailure.of(e);
        }
        engagement.setState(change.to());
        if (change.result() != null) {
            engagement.setResult(change.result());
        }
        return true;
    }

    /**
     * Appends an event that changes no state, e.g. one failed attempt of a retried platform call; on an
     * engagement not written yet it is held and written with the row.
     */
    public void note(Engagement engagement, String eventType, EngagementResult result, Long executionMillis, String actor) {
        NotedEvent n = new NotedEvent(eventType, result, executionMillis, actor, now());
        if (!engagement.isStored()) {
            engagement.holdNote(n);
            return;
        }
        EngagementState state = engagement.getState();
        try (Connection c = dataSource.getConnection()) {
            appendEvent(c, engagement.getId(), StateChange.noted(n, state), state, n.at());
        } catch (SQLException e) {
            throw StoreFailure.of(e);
        }
    }

    private void appendEvent(Connection c, String id, StateChange change, EngagementState from, OffsetDateTime at) throws SQLException {
        EngagementResult r = change.result();
        Assessment a = change.assessment();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO engagement_events (engagement_id, occurred_at, event_type, "
                + "from_status, to_status, action, platform, target, content, persona_constraints, confidence, decision, "
                + "reasons_json, execution_ms, result_status, result_json, error_code, error_message, actor) "
                + "SELECT engagement_id, ?, ?, ?, ?, action, platform, target, content, persona_constraints, "
                + "COALESCE(?, confidence), COALESCE(?, decision), COALESCE(?, reasons_json), ?, ?, ?, ?, ?, ? "
                + "FROM engagements WHERE engagement_id = ?")) {
            ps.setObject(1, at);
            ps.setString(2, change.eventType());
            ps.setString(3, from == null ? null : from.dbValue());
            ps.setString(4, change.to().dbValue());
            setDouble(ps, 5, a == null ? null : a.confidence());
            ps.setString(6, change.decision());
            ps.setString(7, a == null ? null : json.write(a.reasons()));
            if (change.executionMillis() == null) {
                ps.setNull(8, Types.BIGINT);
            } else {
                ps.setLong(8, change.executionMillis());
            }
            ps.setString(9, r == null ? null : r.status());
            ps.setString(10, r == null ? null : json.write(r));
            ps.setString(11, r == null || r.error() == null ? null : r.error().code().name());
            ps.setString(12, r == null || r.error() == null ? null : truncate(r.error().message(), 4000));
            ps.setString(13, change.actor());
            ps.setString(14, id);
            ps.executeUpdate();
        }
    }

    /**
     * What a change records on the engagement row, from index on: confidence, decision, reasons_json,
     * result_json, error_code, decided_by, decision_note (null where the change says nothing).
     */
    private void setDecisionColumns(PreparedStatement ps, int index, StateChange change) throws SQLException {
        Assessment a = change.assessment();
        EngagementResult r = change.result();
        setDouble(ps, index, a == null ? null : a.confidence());
        ps.setString(index + 1, change.decision());
        ps.setString(index + 2, a == null ? null : json.write(a.reasons()));
        ps.setString(index + 3, r == null ? null : json.write(r));
        ps.setString(index + 4, r == null || r.error() == null ? null : r.error().code().name());
        ps.setString(index + 5, change.actor());
        // a reviewer's note is written with the decision (routes/sql/decide-pending.sql), never by a change here
        ps.setString(index + 6, null);
    }

    private static void setDouble(PreparedStatement ps, int index, Double value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, value);
        }
    }

    /** Rolls back after a failed statement; a connection the database dropped cannot, and the first failure is the one told. */
    private static void rollback(Connection c, SQLException failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState()) || e instanceof java.sql.SQLIntegrityConstraintViolationException;
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}

package dev.engagement.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.engagement.gateway.contract.EngagementRequest;
import dev.engagement.gateway.contract.EngagementResult;
import dev.engagement.gateway.engagement.Assessment;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.engagement.EngagementState;
import dev.engagement.gateway.engagement.Reason;

/**
 * Engagements read back from their rows: one by id or by request_id, a page of the audit log, the
 * pending ones past the expiry, and how many are in a state.
 */
public class EngagementReads {

    private static final String COLUMNS = "engagement_id, request_id, request_json, status, confidence, agent_confidence, "
            + "reasons_json, decision, result_json, decided_by, created_at, updated_at";

    private final DataSource dataSource;
    private final StoredJson json;

    public EngagementReads(DataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.json = new StoredJson(mapper);
    }

    public Optional<Engagement> find(String engagementId) {
        return queryOne("SELECT " + COLUMNS + " FROM engagements WHERE engagement_id = ?", engagementId);
    }

    public Optional<Engagement> findByRequestId(String requestId) {
        return queryOne("SELECT " + COLUMNS + " FROM engagements WHERE request_id = ?", requestId);
    }

    /** A page of the audit log: filters, newest first, keyset paging after (createdAt, id). */
    public record Search(String platform, String action, List<EngagementState> states, OffsetDateTime since,
                         OffsetDateTime beforeCreatedAt, String beforeId, int limit) {
    }

    /** One page; the last element is left out and reported as "more" when the page is full. */
    public record Page(List<Engagement> items, boolean more) {
    }

    public Page search(Search q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM engagements WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.platform() != null) {
            sql.append(" AND platform = ?");
            args.add(q.platform());
        }
        if (q.action() != null) {
            sql.append(" AND action = ?");
            args.add(q.action());
        }
        if (q.states() != null && !q.states().isEmpty()) {
            sql.append(" AND status IN (").append(String.join(", ", Collections.nCopies(q.states().size(), "?"))).append(")");
            q.states().forEach(st -> args.add(st.dbValue()));
        }
        if (q.since() != null) {
            sql.append(" AND created_at >= ?");
            args.add(q.since());
        }
        if (q.beforeCreatedAt() != null) {
            sql.append(" AND (created_at < ? OR (created_at = ? AND engagement_id < ?))");
            args.add(q.beforeCreatedAt());
            args.add(q.beforeCreatedAt());
            args.add(q.beforeId());
        }
        sql.append(" ORDER BY created_at DESC, engagement_id DESC");
        List<Engagement> items = queryList(sql.toString(), q.limit() + 1, args.toArray());
        boolean more = items.size() > q.limit();
        return new Page(more ? items.subList(0, q.limit()) : items, more);
    }

    /** Engagements still waiting for a reviewer that were created before the cut-off. */
    public List<Engagement> pendingCreatedBefore(OffsetDateTime cutoff, int limit) {
        return queryList("SELECT " + COLUMNS + " FROM engagements WHERE status = ? AND created_at < ? ORDER BY created_at",
                limit, EngagementState.PENDING_APPROVAL.dbValue(), cutoff);
    }

    /**
     * Engagements in one of these states that nobody has changed since the cutoff (left half-way by a crash),
     * the longest idle first.
     */
    public List<Engagement> idleSince(List<EngagementState> states, OffsetDateTime cutoff, int limit) {
        Object[] params = new Object[states.size() + 1];
        for (int i = 0; i < states.size(); i++) {
            params[i] = states.get(i).dbValue();
        }
        params[states.size()] = cutoff;
        return queryList("SELECT " + COLUMNS + " FROM engagements WHERE status IN ("
                + String.join(", ", java.util.Collections.nCopies(states.size(), "?")) + ") AND updated_at < ? ORDER BY updated_at",
                limit, params);
    }

    /** How many engagements submitted with this agent token (its fingerprint) wait for a reviewer. */
    public long countPendingOf(String agent) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM engagements WHERE agent = ? AND status = ?")) {
            ps.setString(1, agent);
            ps.setString(2, EngagementState.PENDING_APPROVAL.dbValue());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw StoreFailure.of(e);
        }
    }

    /** True when the engagement's event log has an event of this type (e.g. drafted). */
    public boolean hasEvent(String engagementId, String eventType) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM engagement_events WHERE engagement_id = ? AND event_type = ?")) {
            ps.setString(1, engagementId);
            ps.setString(2, eventType);
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw StoreFailure.of(e);
        }
    }

    /** How many engagements are in this state now (e.g. waiting for a reviewer). */
    public long countInState(EngagementState state) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM engagements WHERE status = ?")) {
            ps.setString(1, state.dbValue());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw StoreFailure.of(e);
        }
    }

    private Optional<Engagement> queryOne(String sql, String key) {
        return queryList(sql, 1, key).stream().findFirst();
    }

    /** Runs a query for engagements with positional arguments, reading at most limit rows. */
    private List<Engagement> queryList(String sql, int limit, Object... args) {
        List<Engagement> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        } catch (SQLException e) {
            throw StoreFailure.of(e);
        }
        return out;
    }

    private Engagement read(ResultSet rs) throws SQLException {
        EngagementRequest request = json.read(rs.getString("request_json"), new TypeReference<EngagementRequest>() { });
        Engagement e = new Engagement(rs.getString("engagement_id"), request,
                EngagementState.of(rs.getString("status")), rs.getObject("created_at", OffsetDateTime.class));
        String reasons = rs.getString("reasons_json");
        double confidence = rs.getDouble("confidence");
        if (!rs.wasNull()) {
            List<Reason> list = reasons == null ? List.of() : json.read(reasons, new TypeReference<List<Reason>>() { });
            boolean needsHuman = list.stream().anyMatch(r -> r.rule().startsWith("sensitive."));
            e.setAssessment(new Assessment(confidence, confidence, needsHuman, list));
        }
        String result = rs.getString("result_json");
        if (result != null) {
            e.setResult(json.read(result, new TypeReference<EngagementResult>() { }));
        }
        e.setDecision(rs.getString("decision"), rs.getString("decided_by"), rs.getObject("updated_at", OffsetDateTime.class));
        return e;
    }
}

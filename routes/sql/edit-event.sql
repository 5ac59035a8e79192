-- The audit event of a reviewer's edit, written in the decision's transaction after the UPDATE (so it reads
-- the edited row) and before the decision's own event. The agent's text stays in the earlier events.
--   the same parameters as decide-pending.sql, and
--   :#editEvent   edited, or edit_overridden when the reviewer approved it over the policy's refusal
INSERT INTO engagement_events (engagement_id, occurred_at, event_type, from_status, to_status, action, platform,
                               target, content, persona_constraints, confidence, decision, reasons_json, execution_ms,
                               result_status, result_json, error_code, error_message, actor)
SELECT engagement_id, :#now, :#editEvent, 'pending_approval', 'pending_approval', action, platform, target, content,
       persona_constraints, confidence, NULL, reasons_json, NULL, NULL, NULL, NULL, NULL, :#actor
  FROM engagements
 WHERE engagement_id = :#id

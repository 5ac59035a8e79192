-- The audit event of a reviewer's decision, written in the same transaction as the decision itself.
--   the same parameters as decide-pending.sql, and
--   :#resultStatus   failed for a rejection, null for an approval
--   :#errorMessage   the rejection's message, null for an approval
INSERT INTO engagement_events (engagement_id, occurred_at, event_type, from_status, to_status, action, platform,
                               target, content, persona_constraints, confidence, decision, reasons_json, execution_ms,
                               result_status, result_json, error_code, error_message, actor)
SELECT engagement_id, :#now, :#decision, 'pending_approval', :#state, action, platform, target, content,
       persona_constraints, confidence, :#decision, reasons_json, NULL, :#resultStatus, :#resultJson, :#errorCode,
       :#errorMessage, :#actor
  FROM engagements
 WHERE engagement_id = :#id

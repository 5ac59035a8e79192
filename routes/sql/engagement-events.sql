-- GET /engagements/{id}/events: one engagement's audit trail, oldest first.
--   :#id   the engagement id
SELECT event_id, occurred_at, event_type, from_status, to_status, action, platform, target, content,
       persona_constraints, confidence, decision, reasons_json, execution_ms, result_status, result_json,
       error_code, error_message, actor
  FROM engagement_events
 WHERE engagement_id = :#id
 ORDER BY event_id

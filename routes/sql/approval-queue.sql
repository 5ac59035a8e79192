-- GET /approvals?status=: the engagements in one state of the approval table, newest first.
--   :#state   pending_approval, approved or rejected
--   :#limit   engagement.approvals.list-limit
SELECT engagement_id, request_json, confidence, reasons_json, created_at
  FROM engagements
 WHERE status = :#state
 ORDER BY created_at DESC, engagement_id DESC
 FETCH FIRST :#limit ROWS ONLY

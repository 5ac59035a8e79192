-- A reviewer's decision (POST /approvals/{id}/approve|reject). It moves the row only while it is still
-- pending and not overdue: however many reviewers click at once, exactly one UPDATE counts 1, and the
-- others count 0 (the route answers them 409, or 410 for an overdue one).
--   :#id           the engagement id
--   :#state        approved or rejected
--   :#decision     approved or rejected
--   :#actor        the reviewer's name and token fingerprint
--   :#note         the reviewer's note, or null
--   :#resultJson   the result of a rejection (failed REJECTED_BY_REVIEWER), null for an approval
--   :#errorCode    REJECTED_BY_REVIEWER for a rejection, null for an approval
--   :#now          the time of the decision
--   :#notBefore    engagements created before this have expired (engagement.approvals.expire-after)
UPDATE engagements
   SET status = :#state, decision = :#decision, decided_by = :#actor, decision_note = :#note,
       result_json = COALESCE(:#resultJson, result_json), error_code = COALESCE(:#errorCode, error_code),
       updated_at = :#now
 WHERE engagement_id = :#id AND status = 'pending_approval' AND created_at >= :#notBefore

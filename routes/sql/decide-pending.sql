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
-- and, when the reviewer edited the text (null otherwise: the agent's text and its score stand):
--   :#editContent        the reviewer's text
--   :#editedRequestJson  the request with that text
--   :#editedConfidence   the edited text's confidence
--   :#editedReasonsJson  its reasons (with reviewer_override when the reviewer overrode the policy)
UPDATE engagements
   SET status = :#state, decision = :#decision, decided_by = :#actor, decision_note = :#note,
       result_json = COALESCE(:#resultJson, result_json), error_code = COALESCE(:#errorCode, error_code),
       content = COALESCE(:#editContent, content), request_json = COALESCE(:#editedRequestJson, request_json),
       confidence = COALESCE(:#editedConfidence, confidence), reasons_json = COALESCE(:#editedReasonsJson, reasons_json),
       updated_at = :#now
 WHERE engagement_id = :#id AND status = 'pending_approval' AND created_at >= :#notBefore

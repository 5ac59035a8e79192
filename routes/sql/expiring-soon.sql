-- Pending engagements that expire within engagement.approvals.expiry-warning and whose reviewers were not told yet.
--   :#warnBefore   created before this, they expire within the warning (now - expire-after + expiry-warning)
--   :#notBefore    created before this, they have expired already (now - expire-after)
SELECT engagement_id
  FROM engagements
 WHERE status = 'pending_approval' AND expiry_warned_at IS NULL
   AND created_at < :#warnBefore AND created_at >= :#notBefore
 ORDER BY created_at
 FETCH FIRST 1000 ROWS ONLY

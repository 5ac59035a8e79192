-- GET /approvals: one page of the engagements in one state of the approval table, in the order asked for.
--   :#state            pending_approval, approved, rejected or outcome_unknown
--   :#platform         a platform, or '' for all
--   :#action           an action, or '' for all
--   :#reasonLike       a LIKE pattern on the reasons' rules ('%"rule":"sensitive%'), or '' for any
--   :#createdBefore    only engagements at least ?older_than= old (the end of time without it)
--   :#createdAfter     only engagements at most ?newer_than= old (the beginning of time without it)
--   :#sort             newest (default), oldest, or confidence (the most confident first, then newest)
--   :#afterTime        the page starts after the previous page's last item (its created_at, id and, sorted
--   :#afterId          by confidence, its confidence); the first page starts before every item
--   :#afterConfidence
--   :#fetch            the page's size plus one (is there another page?)
-- The queue is what reviewers have not decided yet: small enough that the sort's CASE needs no index of its own.
SELECT engagement_id, request_json, confidence, reasons_json, created_at, platform, target_author, target_json
  FROM engagements
 WHERE status = :#state
   AND (:#platform = '' OR platform = :#platform)
   AND (:#action = '' OR action = :#action)
   AND (:#reasonLike = '' OR reasons_json LIKE :#reasonLike ESCAPE '!')
   AND created_at <= :#createdBefore
   AND created_at >= :#createdAfter
   AND CASE :#sort
         WHEN 'oldest' THEN created_at > :#afterTime OR (created_at = :#afterTime AND engagement_id > :#afterId)
         WHEN 'confidence' THEN COALESCE(confidence, 0) < :#afterConfidence
              OR (COALESCE(confidence, 0) = :#afterConfidence
                  AND (created_at < :#afterTime OR (created_at = :#afterTime AND engagement_id < :#afterId)))
         ELSE created_at < :#afterTime OR (created_at = :#afterTime AND engagement_id < :#afterId)
       END
 ORDER BY CASE WHEN :#sort = 'confidence' THEN COALESCE(confidence, 0) END DESC,
          CASE WHEN :#sort = 'oldest' THEN created_at END ASC,
          CASE WHEN :#sort = 'oldest' THEN engagement_id END ASC,
          created_at DESC, engagement_id DESC
 FETCH FIRST :#fetch ROWS ONLY

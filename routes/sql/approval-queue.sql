-- GET /approvals: one page of the engagements in one state of the approval table, newest first.
--   :#state       pending_approval, approved or rejected
--   :#platform    a platform, or '' for all
--   :#action      an action, or '' for all
--   :#beforeTime  the page starts after the previous page's last item (created_at, engagement_id):
--   :#beforeId    the end of time and '~' (after every id) for the first page
--   :#fetch       the page's size plus one (is there another page?)
SELECT engagement_id, request_json, confidence, reasons_json, created_at
  FROM engagements
 WHERE status = :#state
   AND (:#platform = '' OR platform = :#platform)
   AND (:#action = '' OR action = :#action)
   AND (created_at < :#beforeTime OR (created_at = :#beforeTime AND engagement_id < :#beforeId))
 ORDER BY created_at DESC, engagement_id DESC
 FETCH FIRST :#fetch ROWS ONLY

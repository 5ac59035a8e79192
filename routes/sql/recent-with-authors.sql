-- GET /approvals: the account's recent engagements with the authors a page of the queue answers, a few per
-- author and platform, newest first (the index on target_author finds them).
--   :#authors     the page's authors
--   :#perAuthor   how many per author and platform (engagement.approvals.context.recent-per-author)
SELECT engagement_id, platform, target_author, action, target, content, status, created_at
  FROM (SELECT engagement_id, platform, target_author, action, target, content, status, created_at,
               ROW_NUMBER() OVER (PARTITION BY platform, target_author ORDER BY created_at DESC, engagement_id DESC) AS n
          FROM engagements
         WHERE target_author IN (:#in:authors)) recent
 WHERE n <= :#perAuthor
 ORDER BY created_at DESC, engagement_id DESC

-- GET /engagements/stats: engagements created in [since, until), counted by platform, action and state.
--   :#since, :#until   the window (the last 24 h by default)
SELECT platform, action, status, COUNT(*) AS n
  FROM engagements
 WHERE created_at >= :#since AND created_at < :#until
 GROUP BY platform, action, status
 ORDER BY platform, action, status

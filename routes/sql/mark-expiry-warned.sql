-- Claims the expiry warning of one pending engagement: 1 for the instance that warns, 0 for any other.
--   :#engagement_id   the engagement (from the row of expiring-soon.sql)
--   :#now             the time of the warning
UPDATE engagements
   SET expiry_warned_at = :#now
 WHERE engagement_id = :#engagement_id AND expiry_warned_at IS NULL AND status = 'pending_approval'

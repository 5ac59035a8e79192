-- What an engagement answers, as the platform's lookup showed it when the engagement was decided: its author
-- (the user, for a follow) and a summary of the post (text, author, time) for the reviewers' queue; the account's
-- recent engagements with an author are found by target_author. Null where nothing was looked up and for older rows.
ALTER TABLE engagements ADD COLUMN target_author VARCHAR(256);
ALTER TABLE engagements ADD COLUMN target_json VARCHAR(20000);

CREATE INDEX ix_engagements_target_author ON engagements (target_author, created_at);

-- When reviewers were told that a pending engagement is about to expire (engagement.approvals.expiry-warning):
-- set once, by a conditional UPDATE, so every instance together warns once (routes/notifications.yaml).
ALTER TABLE engagements ADD COLUMN expiry_warned_at TIMESTAMP WITH TIME ZONE;

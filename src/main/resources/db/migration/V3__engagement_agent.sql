-- The agent token (its fingerprint) that submitted an engagement over HTTP: its pending engagements are
-- counted against engagement.approvals.max-pending-per-agent. Null for Kafka records and older rows.
ALTER TABLE engagements ADD COLUMN agent VARCHAR(16);

CREATE INDEX ix_engagements_agent_status ON engagements (agent, status);

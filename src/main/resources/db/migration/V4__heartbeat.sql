-- One row the readiness check (store.DatabaseHealthCheck) writes: the database is ready when it takes a
-- write, not only a read (a full disk or a read-only folder still reads).
CREATE TABLE gateway_heartbeat (
    id      INTEGER                  NOT NULL PRIMARY KEY,
    beat_at TIMESTAMP WITH TIME ZONE NOT NULL
);

INSERT INTO gateway_heartbeat (id, beat_at) VALUES (1, CURRENT_TIMESTAMP);
